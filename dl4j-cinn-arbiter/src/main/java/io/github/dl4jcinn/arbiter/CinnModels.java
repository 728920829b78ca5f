package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Architecture;
import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Downsampling;
import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.CheckerboardSqueeze;
import io.github.dl4jcinn.layers.blocks.FixedOrthogonalConv1x1;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import io.github.dl4jcinn.zoo.conditioning.ConditioningMode;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Arrays;

/**
 * Builds the DL4J graph of a {@link CinnCandidateConfig} for 28x28 grey images with a one-hot class condition
 * (MNIST, Fashion-MNIST). Inputs {@code x} (image) then {@code label}, loss {@code nll}, as {@link MnistCinn}.
 *
 * <p><b>FC</b> (the paper's MNIST model): flattened image, {@code blocks} x (conditional affine coupling with a fully
 * connected subnet, fixed random permutation). With no conditioning network this <em>is</em> {@link MnistCinn}
 * (delegated to it).
 *
 * <p><b>MULTISCALE</b> (for ablating Haar downsampling, which the FC model does not have):
 * <pre>
 *   x 1x28x28 -> down1 (Haar | checkerboard)                      4x14x14
 *     -> blocks x [conditional coupling, fixed orthogonal 1x1 channel mix]
 *   -> down2 (Haar | checkerboard)                                16x7x7
 *   -> split: the last 8 channels leave as latent code at once    8x7x7 kept
 *        (Haar: the vertical and diagonal details; checkerboard: the bottom pixel row of every 2x2 patch)
 *     -> blocks x [conditional coupling, fixed orthogonal 1x1 channel mix]
 *   -> flatten (392) -> fcBlocks x [FC coupling, fixed random permutation]
 *   -> z (784) = [split-off 392 | final 392], log|det J| -> maximum likelihood
 * </pre>
 * The couplings of the image stages split the <em>channels</em> in halves (Haar: average + horizontal detail vs
 * vertical + diagonal detail; checkerboard: top vs bottom pixel row of each 2x2 patch), and the orthogonal 1x1 mix
 * (the paper's "soft permutation") keeps the spatial layout, so the second downsampling still sees an image. Their
 * subnets are fully connected on the flattened stage by default (the project's eager kernel: fast on CPU) or, with
 * {@code convSubnets}, 3x3 convolutions with the label broadcast over the pixels (the paper's choice for images;
 * about ten times slower per block here, SameDiff convolutions). The split right after the second downsampling is
 * where the paper's argument for Haar applies: the wavelet puts high-frequency detail into the channels that leave
 * early, the checkerboard squeeze sends away half of the pixels, which get no further transformation. "No
 * permutations" removes the orthogonal mixes and the permutations.
 *
 * <p>Conditioning network (FIXED/JOINT): the one-hot label goes through two dense layers (leaky ReLU, then linear,
 * {@code conditionWidth} units) before reaching every coupling; FIXED wraps them in DL4J {@link FrozenLayer}s
 * (random, never trained), JOINT trains them with the flow. With a one-hot input such a network is a label
 * embedding; the paper's conditioning-network ablation is on colorization, where it extracts image features.
 *
 * <p>Training settings of every model: Adam (beta1 0.9, beta2 0.999, epsilon 1e-6) at the constant learning rate,
 * L2 on weights and biases, float32, workspaces enabled.
 */
public final class CinnModels {

    public static final String IMAGE_INPUT = MnistCinn.IMAGE_INPUT;
    public static final String LABEL_INPUT = MnistCinn.LABEL_INPUT;
    public static final String LOSS = MnistCinn.LOSS;
    public static final int IMAGE_SIZE = 28;
    public static final int NUM_CLASSES = 10;

    private CinnModels() {}

    /** A new initialised graph. */
    public static ComputationGraph build(CinnCandidateConfig config) {
        ComputationGraph g = new ComputationGraph(conf(config));
        g.init();
        return g;
    }

    /** The configuration of {@code config.resolved()}. */
    public static ComputationGraphConfiguration conf(CinnCandidateConfig config) {
        CinnCandidateConfig c = config.resolved().validate();
        if (c.getArchitecture() == Architecture.FC && c.getConditioning() == ConditioningMode.NONE) {
            return paperModel(c).conf();
        }
        NeuralNetConfiguration.Builder global = global(c);
        CinnGraphBuilder g = CinnGraphBuilder.create(global)
                .flowInput(IMAGE_INPUT, FlowShape.image(1, IMAGE_SIZE, IMAGE_SIZE))
                .conditionInput(LABEL_INPUT, InputType.feedForward(NUM_CLASSES));
        String cond = conditioningNetwork(g, c);
        int condSize = c.getConditioning() == ConditioningMode.NONE ? NUM_CLASSES : c.getConditionWidth();
        if (c.getArchitecture() == Architecture.FC) {
            g.flatten();
            fcStage(g, c, cond, condSize, "", c.getBlocks());
            return g.build(LOSS);
        }
        g.add("down1", downsampling(c));                                               // 4x14x14
        imageStage(g, c, cond, condSize, 1);
        g.add("down2", downsampling(c));                                               // 16x7x7
        g.split("split2", g.currentShape().channels() / 2);                            // 8x7x7 kept
        imageStage(g, c, cond, condSize, 2);
        g.flatten();                                                                   // 392
        fcStage(g, c, cond, condSize, "fc", c.getFcBlocks());
        return g.build(LOSS);
    }

    /** The FC model through the zoo's {@link MnistCinn} (constant learning rate). */
    static MnistCinn paperModel(CinnCandidateConfig c) {
        int[] hidden = new int[c.getSubnetDepth()];
        Arrays.fill(hidden, c.getFcWidth());
        return MnistCinn.paper().name("arbiter-fc").blocks(c.getBlocks()).hidden(hidden).clamp(c.getClamp())
                .clampAlpha(c.getClampAlpha()).permutations(c.isPermutations())
                .zeroInitLastLayer(c.getInit() == CinnCandidateConfig.Init.XAVIER_ZERO_LAST)
                .learningRate(c.getLearningRate()).finalLearningRate(c.getLearningRate()).l2(c.getL2())
                .batchSize(c.getBatchSize()).noiseSigma(c.getNoiseSigma()).seed(c.getSeed()).build();
    }

    private static NeuralNetConfiguration.Builder global(CinnCandidateConfig c) {
        Adam adam = new Adam(c.getLearningRate());
        adam.setBeta1(0.9);
        adam.setBeta2(0.999);
        adam.setEpsilon(1e-6);
        return new NeuralNetConfiguration.Builder()
                .seed(c.getSeed())
                .dataType(DataType.FLOAT)
                .updater(adam)
                .weightInit(WeightInit.XAVIER)
                .l2(c.getL2())
                .l2Bias(c.getL2())
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
    }

    /** Adds the conditioning network (if any); returns the vertex every coupling reads as its condition. */
    private static String conditioningNetwork(CinnGraphBuilder g, CinnCandidateConfig c) {
        if (c.getConditioning() == ConditioningMode.NONE) {
            return LABEL_INPUT;
        }
        boolean frozen = c.getConditioning() == ConditioningMode.FIXED;
        int w = c.getConditionWidth();
        g.graph().addLayer("cn0", maybeFrozen(new DenseLayer.Builder().nIn(NUM_CLASSES).nOut(w)
                .activation(Activation.LEAKYRELU).build(), frozen), LABEL_INPUT);
        g.graph().addLayer("cn1", maybeFrozen(new DenseLayer.Builder().nIn(w).nOut(w)
                .activation(Activation.IDENTITY).build(), frozen), "cn0");
        return "cn1";
    }

    private static Layer maybeFrozen(Layer layer, boolean frozen) {
        return frozen ? new FrozenLayer(layer) : layer;
    }

    private static FlowVertex downsampling(CinnCandidateConfig c) {
        return c.getDownsampling() == Downsampling.HAAR ? new HaarDownsampling() : new CheckerboardSqueeze();
    }

    /** An image stage: couplings (channel halves), each followed by a fixed orthogonal 1x1 mix. */
    private static void imageStage(CinnGraphBuilder g, CinnCandidateConfig c, String cond, int condSize, int level) {
        int[] hidden = new int[c.getSubnetDepth()];
        Arrays.fill(hidden, c.isConvSubnets() ? c.getConvWidth() : c.getFcWidth());
        for (int i = 0; i < c.getBlocks(); i++) {
            Subnet subnet = (c.isConvSubnets() ? Subnet.convolutional(3, hidden) : Subnet.fullyConnected(hidden))
                    .zeroLastLayer(zeroLast(c));
            g.add("cc" + level + "_" + i, coupling(c, subnet, condSize), cond);
            if (c.isPermutations()) {
                g.add("mix" + level + "_" + i, new FixedOrthogonalConv1x1(c.getSeed() * 1_000_003L + 100L * level + i));
            }
        }
    }

    private static void fcStage(CinnGraphBuilder g, CinnCandidateConfig c, String cond, int condSize, String prefix,
                                int blocks) {
        int[] hidden = new int[c.getSubnetDepth()];
        Arrays.fill(hidden, c.getFcWidth());
        for (int i = 0; i < blocks; i++) {
            Subnet subnet = Subnet.fullyConnected(hidden).zeroLastLayer(zeroLast(c));
            g.add(prefix + "cc" + i, coupling(c, subnet, condSize), cond);
            if (c.isPermutations()) {
                g.add(prefix + "perm" + i, new FixedPermutation(c.getSeed() * 1_000_003L + 1000L + i));
            }
        }
    }

    private static AffineCoupling coupling(CinnCandidateConfig c, Subnet subnet, int condSize) {
        return AffineCoupling.builder().subnet(subnet).vectorCondition(condSize)
                .clamp(c.getClamp(), c.getClampAlpha()).build();
    }

    private static boolean zeroLast(CinnCandidateConfig c) {
        return c.getInit() == CinnCandidateConfig.Init.XAVIER_ZERO_LAST;
    }
}
