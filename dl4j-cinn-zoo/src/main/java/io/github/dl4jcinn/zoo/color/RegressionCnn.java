package io.github.dl4jcinn.zoo.color;

import io.github.dl4jcinn.zoo.conditioning.Backbone;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The deterministic baseline of the paper's Table 1 ('CNN'): the same conditioning backbone as the cINN, a small
 * convolutional decoder to the ab resolution, trained with mean squared error on the standardised a, b (it learns
 * the conditional mean, hence its typically desaturated colours). Its decoder width is chosen so the whole network
 * has about as many parameters as the cINN it is compared with; the wide (parameter-heavy) convolutions sit at
 * half the backbone's resolution and the upsampling path is narrow, so its compute stays close to the cINN's
 * (matching parameters with wide full-resolution convolutions made it ~15x more expensive).
 *
 * <pre>
 * L/100 -> backbone -> conv 3x3 stride 2, w -> conv 3x3 w          (bottleneck at half the feature resolution)
 *       -> [upsample x2 ; conv 3x3, 64 -> 32 -> 16 ...]* to the ab size (or stride-2 convolutions if coarser)
 *       -> (concat L pooled to the ab size, if the config's lumaSkip) -> conv 3x3 -> conv 3x3 -> 2 (a, b)
 *       -> MSE (all hidden convolutions leaky ReLU 0.01)
 * </pre>
 */
public final class RegressionCnn {

    public static final String OUTPUT = "ab-out";
    private static final int MIN_WIDTH = 8;
    private static final int DECODER_WIDTH = 64;

    private RegressionCnn() {}

    /** The baseline for {@code c}, decoder width chosen to total about {@code targetParameters} parameters. */
    public static ComputationGraph init(ColorizationCinn.Config c, long targetParameters) {
        Backbone probe = ColorizationCinn.backbone(c.copy().conditioning("joint"), null, c.adam());
        long backboneParams = probe.graph().numParams();
        int best = 8;
        long bestDiff = Long.MAX_VALUE;
        for (int w = 8; w <= 512; w += 4) {
            long diff = Math.abs(backboneParams + decoderParameters(c, probe, w) - targetParameters);
            if (diff < bestDiff) {
                bestDiff = diff;
                best = w;
            }
        }
        return init(c, probe, best);
    }

    /** The baseline with decoder width {@code width} on a given (joint, unfrozen) backbone. */
    public static ComputationGraph init(ColorizationCinn.Config c, Backbone backbone, int width) {
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder().seed(c.seed)
                .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(c.adam()).l2(c.l2).l2Bias(c.l2)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        ComputationGraphConfiguration.GraphBuilder g = new ComputationGraphConfiguration.GraphBuilder(
                backbone.graph().getConfiguration(), global);
        int f = backbone.deepest().height();
        int s = c.abSize;
        String in = backbone.deepest().vertex();
        // bottleneck: two wide convolutions at half the feature resolution hold most of the parameters
        in = conv(g, "enc0", width, 2, true, in);
        in = conv(g, "enc1", width, 1, true, in);
        f /= 2;
        int w = DECODER_WIDTH;
        int i = 0;
        while (f > s) {
            in = conv(g, "dec" + i++, w, 2, true, in);
            f /= 2;
        }
        while (f < s) {
            g.addLayer("up" + i, new Upsampling2D.Builder(2).build(), in);
            in = "up" + i;
            in = conv(g, "dec" + i++, w, 1, true, in);
            w = Math.max(MIN_WIDTH, w / 2);
            f *= 2;
        }
        if (c.lumaSkip) {
            String luma = ColorizationCinn.L_INPUT;
            if (c.lSize != s) {
                int r = c.lSize / s;
                g.addLayer("luma", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG, new int[]{r, r},
                        new int[]{r, r}).build(), ColorizationCinn.L_INPUT);
                luma = "luma";
            }
            g.addVertex("dec-cat", new MergeVertex(), in, luma);
            in = "dec-cat";
        }
        in = conv(g, "dec" + i, w, 1, true, in);
        in = conv(g, OUTPUT, 2, 1, false, in);
        g.addLayer("mse", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY).build(), in);
        g.setOutputs("mse");
        g.setInputTypes(InputType.convolutional(c.lSize, c.lSize, 1));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        for (GraphVertex v : backbone.graph().getVertices()) {
            if (v.hasLayer() && v.numParams() > 0) {
                graph.getLayer(v.getVertexName()).setParams(v.getLayer().params().dup());
            }
        }
        return graph;
    }

    /** Parameters of the decoder alone for width {@code w}. */
    static long decoderParameters(ColorizationCinn.Config c, Backbone b, int width) {
        int f = b.deepest().height() / 2;
        long p = conv3(b.deepest().channels(), width) + conv3(width, width);
        int in = width;
        int w = DECODER_WIDTH;
        while (f > c.abSize) {
            p += conv3(in, w);
            in = w;
            f /= 2;
        }
        while (f < c.abSize) {
            p += conv3(in, w);
            in = w;
            w = Math.max(MIN_WIDTH, w / 2);
            f *= 2;
        }
        p += conv3(in + (c.lumaSkip ? 1 : 0), w) + conv3(w, 2);
        return p;
    }

    private static long conv3(int in, int out) {
        return (long) in * out * 9 + out;
    }

    private static String conv(ComputationGraphConfiguration.GraphBuilder g, String name, int channels, int stride,
                               boolean leaky, String in) {
        g.addLayer(name, new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(channels)
                .convolutionMode(ConvolutionMode.Same)
                .activation(leaky ? new ActivationLReLU(0.01) : Activation.IDENTITY.getActivationFunction())
                .build(), in);
        return name;
    }
}
