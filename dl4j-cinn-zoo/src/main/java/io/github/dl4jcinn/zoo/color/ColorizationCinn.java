package io.github.dl4jcinn.zoo.color;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.layers.blocks.FixedOrthogonalConv1x1;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.zoo.conditioning.Backbone;
import io.github.dl4jcinn.zoo.conditioning.Backbones;
import io.github.dl4jcinn.zoo.conditioning.ConditionedCinnBuilder;
import io.github.dl4jcinn.zoo.conditioning.ConditioningSchedule;
import io.github.dl4jcinn.zoo.conditioning.HeadSpec;
import io.github.dl4jcinn.zoo.conditioning.PretrainedWeights;
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
import java.util.Locale;

/**
 * The colorization cINN of Ardizzone et al., "Guided Image Generation with Conditional Invertible Neural Networks"
 * (supplement, section 2): generates the Lab chroma {@code a, b} of an image given its lightness {@code L}, as one
 * DL4J {@link ComputationGraph} holding the conditioning network (a VGG16 or ResNet50 cut from the DL4J zoo),
 * per-block conditioning heads and the invertible part, trained jointly by maximum likelihood.
 *
 * <pre>
 * ab 2xSxS (standardised)                                          L/100 1xTxT -> backbone -> features
 *  level 1 (2xSxS):      ccb[0] x {CCB 3x3 subnets, head h_k ; orthogonal 1x1}     heads: conv (+strided convs) + BN
 *                        Haar -> 8 x S/2 ; uncond[0] x {orthogonal 1x1 ; coupling with 1x1 subnets}
 *  level 2 (8xS/2):      ccb[1] x {...} ; Haar -> 32 ; uncond[1] x {...} ; split 16 -> z1
 *  level 3 (16xS/4):     ccb[2] x {...} ; Haar -> 64 ; uncond[2] x {...} ; split 32 -> z2
 *  level 4 (32xS/8):     ccb[3] x {...} ; Haar -> 128; uncond[3] x {...} ; split 96 -> z3
 *  level 5 (FC, 32·(S/16)²): fcBlocks x {CCB with FC subnets, one shared global head ; fixed permutation} -> z4
 * </pre>
 * With S = 64 the FC level has 512 values, as in the paper. Conditional subnets: 3x3 conv, leaky ReLU 0.05, 3x3 conv,
 * leaky ReLU, 3x3 conv; unconditional: the same with 1x1 kernels and slope 0.01; FC: ReLU MLP. Soft clamp atan,
 * α = 1.9. Heads (supplement): stride-2 convolutions (leaky ReLU 0.01) down to the block's resolution, a 3x3
 * convolution and batch norm; the FC level's head ends in global average pooling and batch norm.
 *
 * <p>Presets: {@link #full()} is the paper's model (256x256 L, 64x64 ab, VGG16 cut after block 3 giving 256 maps
 * of 64x64, block counts 4/6/6/6/8, widths of the supplement; for GPUs). {@link #small()} keeps the structure at
 * 64x64 for both L and ab (like the paper's LSUN experiment) with narrow widths, 2 blocks per level and a quarter-
 * width VGG16 trained from scratch, so it trains on 2 CPU cores; because its backbone output (16x16) is coarser
 * than the first two flow levels, those heads upsample, and with {@link Config#lumaSkip} every head's output is
 * concatenated with L average-pooled to the head's resolution (an addition to the paper's design, so the
 * high-resolution blocks see exact luminance edges). {@link #tiny()} is for unit tests.
 *
 * <p>Data scaling: the graph's inputs are {@code L/100} ({@link #L_INPUT}) and {@code (ab − abMean)/abStd} per channel
 * ({@link #AB_INPUT}); the statistics are measured on the training tiles and stored in the {@link Config}, which is
 * saved inside the model zip ({@link ColorModelFiles}). Noise augmentation σ = 0.05 (paper) is added to the
 * standardised a, b during training.
 */
public final class ColorizationCinn {

    public static final String L_INPUT = "L";
    public static final String AB_INPUT = "ab";
    public static final String LOSS = "nll";

    private ColorizationCinn() {}

    /** The supplement's model: 256x256 L, 64x64 ab, full-width VGG16 block 3 (256 maps at 64x64); for GPUs. */
    public static Config full() {
        Config c = new Config();
        c.name = "colorization-full";
        c.lSize = 256;
        c.abSize = 64;
        c.backbone = "vgg16";
        c.widthFraction = 1.0;
        c.ccb = new int[]{4, 6, 6, 6};
        c.uncond = new int[]{2, 2, 2, 2};
        c.condHidden = new int[]{32, 64, 128, 256};
        c.uncondHidden = new int[]{64, 128, 256, 256};
        c.headChannels = new int[]{32, 64, 128, 256};
        c.headStrided = new int[][]{{}, {128}, {128, 128}, {128, 128, 256}};
        c.fcBlocks = 8;
        c.fcHidden = new int[]{512, 512, 512};
        c.fcHead = new int[]{128, 256, 256, 512};
        c.lumaSkip = false;
        c.learningRate = 1.6e-4;
        c.batchSize = 48;
        return c;
    }

    /**
     * 64x64 L and ab (the paper's LSUN setting), sized for 2 contended CPU cores: 1/2/2/2 conditional blocks and
     * one unconditional block per level, two FC blocks, narrow subnets and heads, and VGG16 at 1/8 width trained
     * from scratch (32 maps at 16x16), heads with the L skip.
     */
    public static Config small() {
        Config c = new Config();
        c.name = "colorization-small";
        c.lSize = 64;
        c.abSize = 64;
        c.backbone = "vgg16";
        c.widthFraction = 0.125;
        c.ccb = new int[]{1, 2, 2, 2};
        c.uncond = new int[]{1, 1, 1, 1};
        c.condHidden = new int[]{8, 16, 32, 48};
        c.uncondHidden = new int[]{8, 16, 32, 64};
        c.headChannels = new int[]{4, 8, 16, 24};
        c.headStrided = new int[][]{{}, {}, {}, {32}};
        c.fcBlocks = 2;
        c.fcHidden = new int[]{128};
        c.fcHead = new int[]{32, 64};
        c.lumaSkip = true;
        c.learningRate = 1e-3;
        c.batchSize = 8;
        return c;
    }

    /** A few thousand flow parameters on 16x16 images, for unit tests. */
    public static Config tiny() {
        Config c = small();
        c.name = "colorization-tiny";
        c.lSize = 16;
        c.abSize = 16;
        c.widthFraction = 0.125;
        c.ccb = new int[]{1, 1, 1, 1};
        c.uncond = new int[]{1, 1, 1, 1};
        c.condHidden = new int[]{4, 4, 8, 8};
        c.uncondHidden = new int[]{4, 8, 8, 8};
        c.headChannels = new int[]{2, 2, 4, 4};
        c.headStrided = new int[][]{{}, {}, {}, {8}};
        c.fcBlocks = 2;
        c.fcHidden = new int[]{16};
        c.fcHead = new int[]{8, 8};
        c.batchSize = 4;
        return c;
    }

    /** {@code small}, {@code full} or {@code tiny}. */
    public static Config preset(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "small": return small();
            case "full": return full();
            case "tiny": return tiny();
            default: throw new IllegalArgumentException("unknown colorization preset '" + name
                    + "'; use small, full or tiny");
        }
    }

    /** The joint graph with a randomly initialised backbone. */
    public static ComputationGraph init(Config c) {
        return init(c, null);
    }

    /** The joint graph; the backbone loads pretrained weights when {@code pretrained} is given. */
    public static ComputationGraph init(Config c, PretrainedWeights pretrained) {
        c.validate();
        ConditioningSchedule schedule = c.schedule();
        Adam adam = c.adam();
        Backbone backbone = schedule.hasBackbone() ? backbone(c, pretrained, adam) : null;
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder()
                .seed(c.seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(adam)
                .l2(c.l2)
                .l2Bias(c.l2)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        ConditionedCinnBuilder j = ConditionedCinnBuilder.create(global, schedule, backbone, L_INPUT,
                (InputType.InputTypeConvolutional) InputType.convolutional(c.lSize, c.lSize, 1));
        CinnGraphBuilder cinn = j.cinn().flowInput(AB_INPUT, FlowShape.image(2, c.abSize, c.abSize));
        long seeds = c.seed * 1_000_003L;
        int n = 0;
        for (int l = 0; l < 4; l++) {
            int res = c.abSize >> l;
            for (int i = 0; i < c.ccb[l]; i++) {
                String name = "l" + (l + 1) + "-cc" + i;
                String cond = condition(c, j, "l" + (l + 1) + "-h" + i, l, res);
                int condChannels = schedule.hasBackbone() ? c.headChannels[l] + (c.lumaSkip ? 1 : 0) : 1;
                cinn.add(name, AffineCoupling.builder()
                        .subnet(Subnet.convolutional(3, c.condHidden[l], c.condHidden[l]).leakySlope(0.05))
                        .imageCondition(condChannels, res, res).clamp(Clamp.ATAN, c.clampAlpha).build(), cond);
                cinn.add("l" + (l + 1) + "-rot" + i, new FixedOrthogonalConv1x1(seeds + n++));
            }
            cinn.add("l" + (l + 1) + "-haar", new HaarDownsampling());
            for (int i = 0; i < c.uncond[l]; i++) {
                cinn.add("l" + (l + 1) + "-urot" + i, new FixedOrthogonalConv1x1(seeds + n++));
                cinn.add("l" + (l + 1) + "-uc" + i, AffineCoupling.builder()
                        .subnet(Subnet.convolutional(1, c.uncondHidden[l], c.uncondHidden[l]).leakySlope(0.01))
                        .clamp(Clamp.ATAN, c.clampAlpha).build());
            }
            int split = SPLITS[l];
            if (split > 0) {
                cinn.split("l" + (l + 1) + "-split", split);
            }
        }
        cinn.flatten();
        int fcSize = cinn.currentShape().size();
        String fcCond;
        int fcCondSize;
        if (schedule.hasBackbone()) {
            fcCond = j.head("l5-head", HeadSpec.global(c.fcHead));
            fcCondSize = c.fcHead[c.fcHead.length - 1];
        } else {
            int side = Math.min(8, c.lSize);
            fcCond = j.head("l5-head", HeadSpec.global(side * side));
            fcCondSize = side * side;
        }
        for (int i = 0; i < c.fcBlocks; i++) {
            cinn.add("l5-cc" + i, AffineCoupling.builder().subnet(Subnet.fullyConnected(c.fcHidden))
                    .vectorCondition(fcCondSize).clamp(Clamp.ATAN, c.clampAlpha).build(), fcCond);
            cinn.add("l5-perm" + i, new FixedPermutation(seeds + n++));
        }
        if (fcSize != 32 * (c.abSize / 16) * (c.abSize / 16)) {
            throw new IllegalStateException("unexpected FC level size " + fcSize);
        }
        return j.init(LOSS);
    }

    /** Channels split off to the latent at the end of levels 1..4 (supplement: none, 16, 32, 96). */
    static final int[] SPLITS = {0, 16, 32, 96};

    /** The conditioning backbone of {@code c}, with the joint model's updater per its schedule. */
    public static Backbone backbone(Config c, PretrainedWeights pretrained, Adam adam) {
        Backbones.Options o = c.schedule().applyTo(new Backbones.Options().input(L_INPUT, 1, c.lSize, c.lSize)
                .widthFraction(pretrained == null ? c.widthFraction : 1.0), adam, c.l2, c.seed);
        if (pretrained != null) {
            o.pretrained(pretrained);
        }
        String b = c.backbone.toLowerCase(Locale.ROOT);
        if (b.equals("vgg16")) {
            return Backbones.vgg16(o);
        }
        if (b.startsWith("resnet50")) {
            ResNetStage stage = b.contains(":") ? ResNetStage.parse(b.substring(b.indexOf(':') + 1))
                    : ResNetStage.STAGE3;
            return Backbones.resnet50(stage, o);
        }
        throw new IllegalArgumentException("unknown backbone '" + c.backbone + "'; use vgg16 or resnet50[:stage]");
    }

    /** The condition vertex of one conditional coupling block at level {@code l} (0-based). */
    private static String condition(Config c, ConditionedCinnBuilder j, String name, int l, int res) {
        if (!c.schedule().hasBackbone()) {
            return j.head(name, HeadSpec.image(1, res, res));
        }
        String head = j.head(name, HeadSpec.image(c.headChannels[l], res, res, c.headStrided[l]));
        if (!c.lumaSkip) {
            return head;
        }
        String luma = "luma" + res;
        if (!j.cinn().graph().getVertices().containsKey(luma)) {
            luma = j.pooledCondition(luma, res, res);
        }
        return j.merge(name + "-cat", head, luma);
    }

    /**
     * Everything that defines a colorization model, including the data scaling it was trained with. Serializable:
     * stored inside the model zip so {@code colorize}/{@code evaluate} rebuild inputs exactly.
     */
    public static final class Config implements Serializable {
        private static final long serialVersionUID = 1L;

        public String name = "colorization";
        /** Side of the L condition and of the ab output (square). */
        public int lSize = 64;
        public int abSize = 64;
        /** {@code vgg16} or {@code resnet50[:stage]}. */
        public String backbone = "vgg16";
        /** Random-init VGG16 width multiplier. */
        public double widthFraction = 1.0;
        /** {@code joint}, {@code joint:K}, {@code fixed}, {@code none} (see {@link ConditioningSchedule}). */
        public String conditioning = "joint";
        public boolean lumaSkip;
        public int[] ccb;
        public int[] uncond;
        public int[] condHidden;
        public int[] uncondHidden;
        public int[] headChannels;
        public int[][] headStrided;
        public int fcBlocks;
        public int[] fcHidden;
        public int[] fcHead;
        public double clampAlpha = 1.9;
        /** Gaussian noise on the standardised a, b during training (paper: 0.05). */
        public double noiseSigma = 0.05;
        public double learningRate = 1e-3;
        public double l2 = 1e-5;
        public int batchSize = 16;
        public long seed = 42;
        /** Per-channel statistics of a, b (Lab units) on the training tiles; the model sees (ab − mean)/std. */
        public double[] abMean = {0, 0};
        public double[] abStd = {1, 1};

        public ConditioningSchedule schedule() {
            return ConditioningSchedule.parse(conditioning);
        }

        /** Adam of the paper: β = (0.9, 0.999), ε = 1e-6. */
        public Adam adam() {
            Adam a = new Adam(learningRate);
            a.setBeta1(0.9);
            a.setBeta2(0.999);
            a.setEpsilon(1e-6);
            return a;
        }

        public Config conditioning(String schedule) {
            ConditioningSchedule.parse(schedule);
            this.conditioning = schedule;
            return this;
        }

        public Config backbone(String backbone) {
            this.backbone = backbone;
            return this;
        }

        public Config seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Config learningRate(double lr) {
            this.learningRate = lr;
            return this;
        }

        public Config dataStatistics(double[] mean, double[] std) {
            this.abMean = mean.clone();
            this.abStd = std.clone();
            return this;
        }

        public Config copy() {
            Config c = new Config();
            c.name = name; c.lSize = lSize; c.abSize = abSize; c.backbone = backbone; c.widthFraction = widthFraction;
            c.conditioning = conditioning; c.lumaSkip = lumaSkip; c.ccb = ccb.clone(); c.uncond = uncond.clone();
            c.condHidden = condHidden.clone(); c.uncondHidden = uncondHidden.clone();
            c.headChannels = headChannels.clone(); c.headStrided = new int[4][];
            for (int i = 0; i < 4; i++) c.headStrided[i] = headStrided[i].clone();
            c.fcBlocks = fcBlocks; c.fcHidden = fcHidden.clone(); c.fcHead = fcHead.clone();
            c.clampAlpha = clampAlpha; c.noiseSigma = noiseSigma; c.learningRate = learningRate; c.l2 = l2;
            c.batchSize = batchSize; c.seed = seed; c.abMean = abMean.clone(); c.abStd = abStd.clone();
            return c;
        }

        void validate() {
            if (abSize % 16 != 0) {
                throw new IllegalArgumentException("abSize must be a multiple of 16 (four Haar levels), got " + abSize);
            }
            if (lSize % abSize != 0 || Integer.bitCount(lSize / abSize) != 1) {
                throw new IllegalArgumentException("lSize must be abSize times a power of two, got L " + lSize
                        + ", ab " + abSize);
            }
            for (int[] a : new int[][]{ccb, uncond, condHidden, uncondHidden, headChannels}) {
                if (a == null || a.length != 4) {
                    throw new IllegalArgumentException("per-level settings need 4 values (levels 1-4)");
                }
            }
            if (headStrided == null || headStrided.length != 4) {
                throw new IllegalArgumentException("headStrided needs 4 entries (levels 1-4)");
            }
            if (fcHead == null || fcHead.length == 0) {
                throw new IllegalArgumentException("fcHead needs at least one strided convolution width");
            }
            schedule();
        }

        @Override
        public String toString() {
            return name + "[L " + lSize + ", ab " + abSize + ", " + backbone + (widthFraction != 1 ? " x" + widthFraction
                    : "") + ", " + conditioning + ", ccb " + Arrays.toString(ccb) + "+" + fcBlocks + " FC, uncond "
                    + Arrays.toString(uncond) + ", hidden " + Arrays.toString(condHidden) + "/"
                    + Arrays.toString(uncondHidden) + "/" + Arrays.toString(fcHidden) + ", heads "
                    + Arrays.toString(headChannels) + "/" + Arrays.toString(fcHead) + (lumaSkip ? ", L skip" : "")
                    + ", lr " + learningRate + ", batch " + batchSize + "]";
        }
    }
}
