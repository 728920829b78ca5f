package io.github.dl4jcinn.zoo.color;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

/**
 * Generates chroma with a trained colorization model: diverse samples from the cINN ({@link #sample}), decoding of
 * given latents (latent scaling, Fig. 14 of the paper: {@link #decode}), encoding of a colour image to its latent
 * (colour transfer, Fig. 15: {@link #encode}), or the single prediction of the regression baseline
 * ({@link #predict}). Inputs and outputs are in Lab units; the data scaling comes from the model's
 * {@link ColorizationCinn.Config}.
 */
public final class Colorizer {

    private final ComputationGraph graph;
    private final ColorizationCinn.Config config;
    private final ColorModelFiles.Kind kind;
    private CinnInverse inverse;

    public Colorizer(ComputationGraph graph, ColorizationCinn.Config config, ColorModelFiles.Kind kind) {
        this.graph = graph;
        this.config = config;
        this.kind = kind;
    }

    public static Colorizer of(ColorModelFiles.ColorModel m) {
        return new Colorizer(m.graph(), m.config(), m.kind());
    }

    public ComputationGraph graph() {
        return graph;
    }

    public ColorizationCinn.Config config() {
        return config;
    }

    public ColorModelFiles.Kind kind() {
        return kind;
    }

    /** Dimension of the cINN's latent space. */
    public long latentSize() {
        return inverse().latentSize();
    }

    /**
     * {@code k} colorizations per L: returns {@code k} arrays {@code [N, 2, ab, ab]} (Lab units). {@code lInput} is
     * the graph input {@code L/100} {@code [N, 1, lSize, lSize]}. Latents {@code z ~ N(0, temperature² I)}.
     */
    public INDArray[] sample(INDArray lInput, int k, double temperature, long seed) {
        INDArray[] out = new INDArray[k];
        if (kind == ColorModelFiles.Kind.CNN) {
            INDArray p = predict(lInput);
            for (int i = 0; i < k; i++) {
                out[i] = p;
            }
            return out;
        }
        Nd4j.getRandom().setSeed(seed);
        long n = lInput.size(0);
        for (int i = 0; i < k; i++) {
            INDArray z = Nd4j.randn(graph.params().dataType(), n, latentSize()).muli(temperature);
            out[i] = decode(z, lInput);
        }
        return out;
    }

    /** The chroma for given latents {@code z [N, latentSize]} under {@code lInput}. */
    public INDArray decode(INDArray z, INDArray lInput) {
        requireCinn();
        INDArray x = inverse().decode(z, Map.of(ColorizationCinn.L_INPUT, lInput)).x();
        return toLab(x);
    }

    /** The latent of a colour image: {@code z = f(ab; L)}, {@code [N, latentSize]} (no noise added). */
    public INDArray encode(INDArray lInput, INDArray abLab) {
        requireCinn();
        INDArray flow = inverse().encode(Map.of(ColorizationCinn.L_INPUT, lInput, ColorizationCinn.AB_INPUT,
                toModel(abLab)));
        return flow.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latentSize())).dup();
    }

    /** The regression baseline's output (Lab units). */
    public INDArray predict(INDArray lInput) {
        if (kind != ColorModelFiles.Kind.CNN) {
            throw new IllegalStateException("predict() is for the regression baseline; use sample()");
        }
        return toLab(graph.output(false, lInput)[0]);
    }

    /** Model units (standardised) to Lab units. */
    public INDArray toLab(INDArray abModel) {
        INDArray out = abModel.dup();
        for (int c = 0; c < 2; c++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.point(c)).muli(config.abStd[c]).addi(config.abMean[c]);
        }
        return out;
    }

    /** Lab units to model units. */
    public INDArray toModel(INDArray abLab) {
        INDArray out = abLab.dup();
        for (int c = 0; c < 2; c++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.point(c)).subi(config.abMean[c]).divi(config.abStd[c]);
        }
        return out;
    }

    /** L plane(s) in Lab units to the graph input: {@code [N, 1, lSize, lSize]}, each resized to lSize. */
    public INDArray lInput(double[] l, int w, int h) {
        double[] r = LabImages.resize(l, w, h, config.lSize, config.lSize);
        float[] f = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            f[i] = (float) (r[i] / 100.0);
        }
        return Nd4j.create(f, new long[]{1, 1, config.lSize, config.lSize}, 'c');
    }

    /** a, b planes (Lab units) resized to the model's ab size, {@code [1, 2, ab, ab]}. */
    public INDArray abLab(double[] a, double[] b, int w, int h) {
        int s = config.abSize;
        double[] ra = LabImages.resize(a, w, h, s, s);
        double[] rb = LabImages.resize(b, w, h, s, s);
        float[] f = new float[2 * s * s];
        for (int i = 0; i < s * s; i++) {
            f[i] = (float) ra[i];
            f[s * s + i] = (float) rb[i];
        }
        return Nd4j.create(f, new long[]{1, 2, s, s}, 'c');
    }

    private CinnInverse inverse() {
        requireCinn();
        if (inverse == null) {
            inverse = CinnInverse.of(graph);
        }
        return inverse;
    }

    private void requireCinn() {
        if (kind != ColorModelFiles.Kind.CINN) {
            throw new IllegalStateException("this needs the cINN; the model is the " + kind + " baseline");
        }
    }
}
