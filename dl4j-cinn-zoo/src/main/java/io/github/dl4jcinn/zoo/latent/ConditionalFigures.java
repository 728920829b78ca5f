package io.github.dl4jcinn.zoo.latent;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.eval.DequantizedLikelihood;
import io.github.dl4jcinn.zoo.training.CinnTrainer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

/**
 * The figures of the guided-generation paper for a class-conditional image cINN (inputs: image, one-hot label):
 * samples with shared latents (Fig. 6), style transfer (Fig. 7), latent principal directions (Fig. 4) and latent
 * interpolation. Every method returns images {@code [C, H, W]} in the data scale ({@code pixel / 255}) arranged as
 * {@code cells[row][column]} for {@link io.github.dl4jcinn.zoo.image.ImageGrid#write(INDArray[][], int, int,
 * java.nio.file.Path)}.
 *
 * <pre>{@code
 * ConditionalFigures fig = ConditionalFigures.of(graph, 10);
 * ImageGrid.write(fig.sampleGrid(8, 0.8, 42), 2, 2, Path.of("samples.png"));
 * }</pre>
 */
public final class ConditionalFigures {

    private final ComputationGraph graph;
    private final CinnInverse inverse;
    private final String conditionInput;
    private final int numClasses;

    private ConditionalFigures(ComputationGraph graph, int numClasses) {
        this.graph = graph;
        this.inverse = CinnInverse.of(graph);
        this.conditionInput = CinnTrainer.conditionInput(graph, inverse);
        this.numClasses = numClasses;
    }

    public static ConditionalFigures of(ComputationGraph graph, int numClasses) {
        return new ConditionalFigures(graph, numClasses);
    }

    public int numClasses() {
        return numClasses;
    }

    public long latentSize() {
        return inverse.latentSize();
    }

    /**
     * Fig. 6: {@code rows} latents {@code z ~ N(0, T² I)}; row r decodes its z under every label, so each row shows
     * one "style" and each column one class.
     */
    public INDArray[][] sampleGrid(int rows, double temperature, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray z = Nd4j.randn(DataType.FLOAT, rows, latentSize()).muli(temperature);
        INDArray[][] cells = new INDArray[rows][];
        for (int r = 0; r < rows; r++) {
            cells[r] = decodeUnderEveryLabel(z.getRow(r, true));
        }
        return cells;
    }

    /**
     * Fig. 7: encodes the test images {@code indices} with their own label (no noise) and decodes each latent with
     * every label. Row r: the original image, then labels 0..K-1.
     */
    public INDArray[][] transfer(LabeledImages data, int[] indices) {
        INDArray[][] cells = new INDArray[indices.length][];
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            INDArray x = DequantizedLikelihood.clean(data, i, 1);
            INDArray z = encode(x, new int[]{data.label(i)});
            INDArray[] decoded = decodeUnderEveryLabel(z);
            cells[r] = new INDArray[numClasses + 1];
            cells[r][0] = x.get(NDArrayIndex.point(0)).dup();
            System.arraycopy(decoded, 0, cells[r], 1, numClasses);
        }
        return cells;
    }

    /** Latents {@code [N, D]} of images {@code [N, 1, H, W]} with the given labels. */
    public INDArray encode(INDArray images, int[] labels) {
        INDArray out = inverse.encode(Map.of(inverse.dataInput(), images, conditionInput,
                DequantizedLikelihood.oneHot(labels, numClasses)));
        return out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latentSize())).dup();
    }

    /** Latents of the first {@code n} images of {@code data} (no noise, own labels), in batches. */
    public INDArray encodeAll(LabeledImages data, int n, int batch) {
        n = Math.min(n, data.count());
        INDArray z = Nd4j.create(DataType.FLOAT, n, latentSize());
        for (int start = 0; start < n; start += batch) {
            int m = Math.min(batch, n - start);
            int[] labels = new int[m];
            for (int j = 0; j < m; j++) labels[j] = data.label(start + j);
            z.get(NDArrayIndex.interval(start, start + m), NDArrayIndex.all())
                    .assign(encode(DequantizedLikelihood.clean(data, start, m), labels));
        }
        return z;
    }

    /** Images {@code [N, 1, H, W]} decoded from latents {@code [N, D]} under the labels. */
    public INDArray decode(INDArray z, int[] labels) {
        return inverse.decode(z.castTo(DataType.FLOAT), Map.of(conditionInput,
                DequantizedLikelihood.oneHot(labels, numClasses))).x();
    }

    /** Samples for the labels at a temperature, seeded. */
    public INDArray sample(int[] labels, double temperature, long seed) {
        return inverse.sample(labels.length, temperature, Map.of(conditionInput,
                DequantizedLikelihood.oneHot(labels, numClasses)), seed);
    }

    /**
     * Fig. 4: rows = labels, columns = {@code steps} points from {@code -range} to {@code +range} standard
     * deviations along principal direction {@code component} of the test latents (other coordinates at the mean).
     */
    public INDArray[][] principalDirection(LatentPca pca, int component, int steps, double range) {
        INDArray z = Nd4j.create(DataType.DOUBLE, steps, latentSize());
        for (int s = 0; s < steps; s++) {
            z.putRow(s, pca.point(component, offset(s, steps, range)));
        }
        return labelsByColumns(z);
    }

    /** A {@code steps x steps} grid over the plane of principal directions 0 and 1, one label. */
    public INDArray[][] principalPlane(LatentPca pca, int steps, double range, int label) {
        INDArray z = Nd4j.create(DataType.DOUBLE, steps * steps, latentSize());
        for (int r = 0; r < steps; r++) {
            for (int c = 0; c < steps; c++) {
                z.putRow(r * steps + c, pca.point(0, offset(c, steps, range), 1, offset(r, steps, range)));
            }
        }
        int[] labels = new int[steps * steps];
        java.util.Arrays.fill(labels, label);
        INDArray x = decode(z, labels);
        INDArray[][] cells = new INDArray[steps][steps];
        for (int r = 0; r < steps; r++) {
            for (int c = 0; c < steps; c++) cells[r][c] = x.get(NDArrayIndex.point(r * steps + c)).dup();
        }
        return cells;
    }

    /** Rows = labels, columns = {@code steps} points on the straight line from {@code zA} to {@code zB}. */
    public INDArray[][] interpolation(INDArray zA, INDArray zB, int steps) {
        INDArray a = zA.reshape(1, -1).castTo(DataType.DOUBLE);
        INDArray b = zB.reshape(1, -1).castTo(DataType.DOUBLE);
        INDArray z = Nd4j.create(DataType.DOUBLE, steps, latentSize());
        for (int s = 0; s < steps; s++) {
            double t = steps == 1 ? 0 : s / (double) (steps - 1);
            z.putRow(s, a.mul(1 - t).add(b.mul(t)));
        }
        return labelsByColumns(z);
    }

    private static double offset(int s, int steps, double range) {
        return steps == 1 ? 0 : -range + 2 * range * s / (steps - 1);
    }

    /** cells[label][s] = decode(z[s], label). */
    private INDArray[][] labelsByColumns(INDArray z) {
        int steps = (int) z.size(0);
        INDArray zz = Nd4j.create(DataType.FLOAT, (long) steps * numClasses, latentSize());
        int[] labels = new int[steps * numClasses];
        for (int k = 0; k < numClasses; k++) {
            for (int s = 0; s < steps; s++) {
                zz.putRow((long) k * steps + s, z.getRow(s));
                labels[k * steps + s] = k;
            }
        }
        INDArray x = decode(zz, labels);
        INDArray[][] cells = new INDArray[numClasses][steps];
        for (int k = 0; k < numClasses; k++) {
            for (int s = 0; s < steps; s++) cells[k][s] = x.get(NDArrayIndex.point((long) k * steps + s)).dup();
        }
        return cells;
    }

    private INDArray[] decodeUnderEveryLabel(INDArray zRow) {
        INDArray z = Nd4j.create(DataType.FLOAT, numClasses, latentSize());
        int[] labels = new int[numClasses];
        for (int k = 0; k < numClasses; k++) {
            z.putRow(k, zRow.reshape(-1));
            labels[k] = k;
        }
        INDArray x = decode(z, labels);
        INDArray[] out = new INDArray[numClasses];
        for (int k = 0; k < numClasses; k++) out[k] = x.get(NDArrayIndex.point(k)).dup();
        return out;
    }

    public ComputationGraph graph() {
        return graph;
    }
}
