package io.github.dl4jcinn.layers.vertex;

import io.github.dl4jcinn.layers.FlowShape;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The flow tensor layout: {@code [N, D + 1]}, the example flattened in NCHW order followed by one column carrying its
 * running log|det J|. A vertex has a single output in DL4J, so the log-det rides along with the data; ordinary
 * autodiff then carries its gradient, and DL4J's merge/subset vertices still apply.
 */
public final class FlowTensors {
    private FlowTensors() {}

    /** The data columns of a flow tensor, reshaped to the block's layout (NCHW for images, [N, D] for vectors). */
    public static SDVariable data(SDVariable flow, FlowShape shape, boolean imageLayout) {
        return toLayout(columns(flow, 0, shape.size()), shape, imageLayout);
    }

    /** The log-det column, [N, 1]. */
    public static SDVariable logDet(SDVariable flow, FlowShape shape) {
        return columns(flow, shape.size(), shape.size() + 1);
    }

    /**
     * Columns {@code [from, to)} of a rank-2 variable. Uses the {@code slice} op, not {@code strided_slice}: in DL4J
     * 1.0.0-M2.1 {@code strided_slice_bp} fails for a minibatch of one ("NDArray::assign: lengths of arrays are
     * mismatched") whenever more than one column is taken.
     */
    public static SDVariable columns(SDVariable x, long from, long to) {
        return x.getSameDiff().slice(x, new int[]{0, (int) from}, -1, (int) (to - from));
    }

    /** Channels {@code [from, to)} of an NCHW variable with spatial size {@code h x w}; see {@link #columns}. */
    public static SDVariable channels(SDVariable x, long from, long to, int h, int w) {
        return x.getSameDiff().slice(x, new int[]{0, (int) from, 0, 0}, -1, (int) (to - from), h, w);
    }

    public static SDVariable toLayout(SDVariable flat, FlowShape shape, boolean imageLayout) {
        return imageLayout
                ? flat.reshape(-1, shape.channels(), shape.height(), shape.width())
                : flat.reshape(-1, shape.size());
    }

    public static SDVariable flatten(SDVariable x, FlowShape shape) {
        return x.reshape(-1, shape.size());
    }

    /** Assembles a flow tensor from data in any layout and a log-det column. */
    public static SDVariable join(SameDiff sd, SDVariable data, FlowShape shape, SDVariable logDet) {
        return sd.concat(1, flatten(data, shape), logDet);
    }

    /**
     * Per-example sum over all non-batch axes of a rank-2 or rank-4 variable with {@code elements} values per
     * example, as an [N, 1] column. A sum over axes of size 1 is skipped: M2.1's reduce ops take a "no-op" path for
     * it that dereferences a null input (NullPointerException in {@code BaseReduceOp.noOp}).
     */
    public static SDVariable sumPerExample(SDVariable x, int rank, long elements) {
        if (elements == 1) {
            return x.reshape(-1, 1);
        }
        SDVariable s = rank == 4 ? x.sum(true, 1, 2, 3) : x.sum(true, 1);
        return s.reshape(-1, 1);
    }
}
