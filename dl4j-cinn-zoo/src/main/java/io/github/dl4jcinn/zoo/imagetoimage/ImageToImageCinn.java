package io.github.dl4jcinn.zoo.imagetoimage;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.layers.blocks.FixedOrthogonalConv1x1;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.zoo.conditioning.Backbone;
import io.github.dl4jcinn.zoo.conditioning.Backbones;
import io.github.dl4jcinn.zoo.conditioning.ConditionedCinnBuilder;
import io.github.dl4jcinn.zoo.conditioning.ConditioningSchedule;
import io.github.dl4jcinn.zoo.conditioning.FeatureMap;
import io.github.dl4jcinn.zoo.conditioning.HeadSpec;
import io.github.dl4jcinn.zoo.conditioning.ResNetStage;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A generic paired image-to-image cINN after "Conditional Invertible Neural Networks for Diverse Image-to-Image
 * Translation" (Ardizzone et al., section 4.1, day to night): generates an image x given a paired condition image y.
 * The conditioning network is a DL4J zoo ResNet50 cut into a feature pyramid ({@link Backbones#resnet50}), trained
 * jointly with the invertible part; every conditional coupling block (CCB) gets its own head from the pyramid level
 * nearest its resolution (plus y itself average-pooled to that resolution). The invertible part: {@code blocks}
 * CCBs (default 8) with Haar wavelet downsampling between resolution levels, a fixed orthogonal 1x1 convolution
 * after each CCB and, after each downsampling, half of the channels split off to the latent (the split scheme of the
 * paper's colorization model; the day-to-night text does not say).
 *
 * <pre>
 * x CxSxS -> [CCB, rot] x b0 -> Haar -> [CCB, rot] x b1 -> split half -> Haar -> ... -> z
 * y CxSxS -> ResNet50 (stem, stage 2, stage 3...) -> head per CCB (conv/upsampling + BN) ++ y pooled
 * </pre>
 *
 * <p>Deviation: the paper's subnets have batch normalisation after the first two of their three convolutions; the
 * layer library's {@code Subnet} has no normalisation inside SameDiff vertices, so they are conv-ReLU-conv-ReLU-conv.
 * Inputs: {@link #CONDITION} ({@code y}) and {@link #DATA} ({@code x}), both scaled to [0, 1] per channel.
 */
public final class ImageToImageCinn {

    public static final String CONDITION = "y";
    public static final String DATA = "x";
    public static final String LOSS = "nll";

    private ImageToImageCinn() {}

    /** 64x64 RGB, 8 CCBs over 5 resolutions, ResNet50 cut after stage 3; trains (slowly) on 2 CPU cores. */
    public static Config small() {
        return new Config();
    }

    /** 16x16 RGB, 3 levels, for unit tests. */
    public static Config tiny() {
        Config c = new Config();
        c.size = 16;
        c.blocksPerLevel = new int[]{1, 1, 1};
        c.hidden = new int[]{4, 8, 8};
        c.headChannels = new int[]{2, 4, 4};
        c.stage = "stem";
        c.batchSize = 4;
        return c;
    }

    public static ComputationGraph init(Config c) {
        c.validate();
        Adam adam = new Adam(c.learningRate);
        adam.setEpsilon(1e-6);
        ConditioningSchedule schedule = ConditioningSchedule.parse(c.conditioning);
        Backbone backbone = null;
        if (schedule.hasBackbone()) {
            backbone = Backbones.resnet50(ResNetStage.parse(c.stage), schedule.applyTo(
                    new Backbones.Options().input(CONDITION, c.channels, c.size, c.size), adam, c.l2, c.seed));
        }
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder().seed(c.seed)
                .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(adam).l2(c.l2).l2Bias(c.l2)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        ConditionedCinnBuilder j = ConditionedCinnBuilder.create(global, schedule, backbone, CONDITION,
                (InputType.InputTypeConvolutional) InputType.convolutional(c.size, c.size, c.channels));
        CinnGraphBuilder cinn = j.cinn().flowInput(DATA, FlowShape.image(c.channels, c.size, c.size));
        if (backbone != null) {
            requireAllLevelsUsed(c, backbone);
        }
        long seeds = c.seed * 7_000_003L;
        int n = 0;
        int levels = c.blocksPerLevel.length;
        for (int l = 0; l < levels; l++) {
            FlowShape s = cinn.currentShape();
            int res = s.height();
            for (int i = 0; i < c.blocksPerLevel[l]; i++) {
                String cond;
                int condChannels;
                if (backbone == null) {
                    cond = j.head("h" + l + "-" + i, HeadSpec.image(c.channels, res, res));
                    condChannels = c.channels;
                } else {
                    String head = j.head("h" + l + "-" + i, HeadSpec.image(c.headChannels[l], res, res),
                            nearest(backbone.outputs(), res));
                    String pooled = "ypool" + res;
                    if (!j.cinn().graph().getVertices().containsKey(pooled)) {
                        pooled = j.pooledCondition(pooled, res, res);
                    }
                    cond = j.merge("h" + l + "-" + i + "-cat", head, pooled);
                    condChannels = c.headChannels[l] + c.channels;
                }
                cinn.add("cc" + l + "-" + i, AffineCoupling.builder()
                        .subnet(Subnet.convolutional(3, c.hidden[l], c.hidden[l]).leakySlope(0))
                        .imageCondition(condChannels, res, res).clamp(Clamp.ATAN, 1.9).build(), cond);
                cinn.add("rot" + l + "-" + i, new FixedOrthogonalConv1x1(seeds + n++));
            }
            if (l < levels - 1) {
                cinn.add("haar" + l, new HaarDownsampling());
                if (l > 0) {
                    cinn.split("split" + l, cinn.currentShape().channels() / 2);
                }
            }
        }
        return j.init(LOSS);
    }

    /** Every pyramid output must feed some block, or DL4J rejects the graph as disconnected: say which stage fits. */
    private static void requireAllLevelsUsed(Config c, Backbone backbone) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int l = 0; l < c.blocksPerLevel.length; l++) {
            used.add(nearest(backbone.outputs(), c.size >> l).vertex());
        }
        for (FeatureMap f : backbone.outputs()) {
            if (!used.contains(f.vertex())) {
                throw new IllegalArgumentException("ResNet50 output " + f + " is coarser than every flow level ("
                        + c.size + " down to " + (c.size >> (c.blocksPerLevel.length - 1)) + " px): cut the backbone"
                        + " at an earlier stage than " + c.stage);
            }
        }
    }

    /** The pyramid level whose resolution is closest to {@code res} (ties: the finer one). */
    static FeatureMap nearest(List<FeatureMap> pyramid, int res) {
        FeatureMap best = null;
        double bestDist = Double.MAX_VALUE;
        for (FeatureMap f : pyramid) {
            if (f.vector()) {
                continue;
            }
            double d = Math.abs(Math.log((double) f.height() / res));
            if (d < bestDist - 1e-9) {
                bestDist = d;
                best = f;
            }
        }
        return best;
    }

    /** Settings; serializable so a saved model carries them. */
    public static final class Config implements Serializable {
        private static final long serialVersionUID = 1L;

        public int size = 64;
        public int channels = 3;
        /** CCBs per resolution level (Haar downsampling between levels); default 1+2+2+2+1 = 8. */
        public int[] blocksPerLevel = {1, 2, 2, 2, 1};
        public int[] hidden = {8, 16, 32, 48, 64};
        public int[] headChannels = {4, 8, 16, 16, 16};
        /** ResNet50 stage to cut after ({@code stem}, {@code 2}..{@code 5}). */
        public String stage = "3";
        public String conditioning = "joint";
        public double learningRate = 1e-3;
        public double l2 = 1e-5;
        public int batchSize = 8;
        public long seed = 11;

        void validate() {
            int levels = blocksPerLevel.length;
            if (hidden.length != levels || headChannels.length != levels) {
                throw new IllegalArgumentException("hidden and headChannels need one value per level (" + levels + ")");
            }
            if (size % (1 << (levels - 1)) != 0) {
                throw new IllegalArgumentException("size " + size + " is not divisible by 2^" + (levels - 1));
            }
        }

        @Override
        public String toString() {
            return "image-to-image[" + channels + "x" + size + "x" + size + ", CCBs " + Arrays.toString(blocksPerLevel)
                    + ", hidden " + Arrays.toString(hidden) + ", heads " + Arrays.toString(headChannels)
                    + ", ResNet50 to stage " + stage + ", " + conditioning + ", lr " + learningRate + ", batch "
                    + batchSize + "]";
        }
    }
}
