package io.github.dl4jcinn.layers.blocks;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Column blocks of row-major matrices, the way the eager kernels need them. A flow tensor {@code [N, D + 1]} keeps
 * its halves and its log-det as column ranges, and ND4J runs every element-wise op on such a strided view through
 * its generic index path: about 9x slower than on a contiguous array here (672 µs against 75 µs for one multiply
 * of 256 x 392 floats). So the kernels copy a block out once into a contiguous array, compute on that, and copy
 * the result back once. On the CPU backend the copy is one {@code memcpy} per row (18 µs for that block against
 * 208 µs for ND4J's strided {@code assign}); elsewhere, or for layouts it does not cover, it falls back to ND4J.
 */
final class ColumnBlocks {

    private ColumnBlocks() {}

    /** Columns {@code [from, to)} of {@code src} as a new contiguous row-major array (in the open workspace). */
    static INDArray copy(INDArray src, long from, long to) {
        INDArray dst = Nd4j.createUninitialized(src.dataType(), src.size(0), to - from);
        if (!copyRows(src, from, dst, 0, to - from)) {
            dst.assign(src.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)));
        }
        return dst;
    }

    /** Writes {@code block} into columns {@code [at, at + block.columns())} of {@code dst}. */
    static void put(INDArray block, INDArray dst, long at) {
        long width = block.size(1);
        if (!copyRows(block, 0, dst, at, width)) {
            dst.get(NDArrayIndex.all(), NDArrayIndex.interval(at, at + width)).assign(block);
        }
    }

    /** Writes {@code blocks} side by side into {@code dst}, from column 0 (the inverse of copying them out). */
    static void join(INDArray dst, INDArray... blocks) {
        long at = 0;
        for (INDArray b : blocks) {
            put(b, dst, at);
            at += b.size(1);
        }
    }

    /**
     * Rows {@code [from, to)} of a row-major matrix, a contiguous view. Built from the data buffer because ND4J
     * M2.1's {@code get(interval, all)} returns an empty array for a parameter view whose buffer starts at an offset
     * in the flattened parameters (every vertex but the first); {@code create} takes that offset as relative to the
     * original buffer.
     */
    static INDArray rows(INDArray m, long from, long to) {
        long cols = m.size(1);
        if (!rowMajor(m)) {
            return m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        }
        return Nd4j.create(m.data(), new long[]{to - from, cols}, new long[]{m.stride(0), 1},
                m.offset() + from * m.stride(0), 'c');
    }

    /** Columns {@code [from, to)} of a row-major matrix as a strided view (GEMM operands take those as they are). */
    static INDArray columns(INDArray m, long from, long to) {
        if (!rowMajor(m)) {
            return m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
        }
        return Nd4j.create(m.data(), new long[]{m.size(0), to - from}, new long[]{m.stride(0), 1},
                m.offset() + from, 'c');
    }

    private static boolean rowMajor(INDArray m) {
        return m.rank() == 2 && m.ordering() == 'c' && m.stride(1) == 1;
    }

    /** dst[:, dstCol : dstCol + width] = src[:, srcCol : srcCol + width] by memcpy; false if not applicable. */
    private static boolean copyRows(INDArray src, long srcCol, INDArray dst, long dstCol, long width) {
        if (!Nd4j.getEnvironment().isCPU() || src.dataType() != dst.dataType() || !rowMajor(src) || !rowMajor(dst)
                || src.size(0) != dst.size(0)) {
            return false;
        }
        long es = src.dataType().width();
        long rows = src.size(0);
        // addressPointer() already points at the array's first element (ND4J views carry their offset in the buffer)
        BytePointer s = new BytePointer(src.data().addressPointer());
        BytePointer d = new BytePointer(dst.data().addressPointer());
        long sRow = src.stride(0) * es;
        long dRow = dst.stride(0) * es;
        long bytes = width * es;
        for (long r = 0; r < rows; r++) {
            Pointer.memcpy(d.position(r * dRow + dstCol * es), s.position(r * sRow + srcCol * es), bytes);
        }
        return true;
    }
}
