package io.github.dl4jcinn.zoo.models;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.Subnet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.Arrays;
import java.util.Locale;

/**
 * The class-conditional MNIST cINN of Ardizzone et al., "Guided Image Generation with Conditional Invertible Neural
 * Networks" (supplement, section 1), as a zoo-style builder that returns a plain DL4J
 * {@link ComputationGraphConfiguration} / {@link ComputationGraph}, so it can be changed with DL4J's own APIs.
 *
 * <pre>
 *   x [N,1,28,28] -> flatten (784) -> 24 x { conditional affine coupling (FC subnet (392+10) -> 512 -> 512 -> 512 -> 784,
 *                                           ReLU, s and t jointly, soft clamp atan alpha = 1.9, one-hot label fed
 *                                           directly);  fixed random permutation (seed per block) }
 *   -> z [N, 784] and log|det J|  -> maximum-likelihood loss
 * </pre>
 *
 * <p>Training recipe of the paper, all defaults here: Adam beta1 0.9, beta2 0.999, epsilon 1e-6; "L2 weight decay
 * 1e-5", implemented as DL4J {@code l2(1e-5)} and {@code l2Bias(1e-5)}: the penalty's gradient {@code 1e-5 * w} is
 * added to the gradient <em>before</em> Adam, which is what PyTorch's {@code Adam(weight_decay=1e-5)} (the paper's
 * framework) does for every parameter. DL4J's {@code weightDecay(...)} would instead be the decoupled AdamW variant,
 * which the paper does not use. Learning rate 1e-4 decaying exponentially per iteration to 1e-6 over
 * {@link Builder#decayIterations(int) the planned iterations} (DL4J {@link ExponentialSchedule}; beyond the plan it
 * keeps decaying at the same rate). Batch 256 and noise sigma 0.02 are data-side settings carried here so a
 * trainer can read them ({@link #batchSize()}, {@link #noiseSigma()}).
 *
 * <p>Vertex names: inputs {@code x} (image) and {@code label} (one-hot), the optional label embedding
 * {@code labelEmbedding} (a DL4J dense layer, {@link Builder#labelEmbedding(int)}), blocks {@code cc0..cc<n-1>} and
 * {@code perm0..perm<n-1>}, loss {@code nll}. Parameter count of the paper model: {@value #PAPER_PARAMETERS}
 * (24 blocks x 2 subnets x 1,133,840, plus the loss layer's one-element marker).
 *
 * <pre>{@code
 * ComputationGraph paper = MnistCinn.paper().decayIterations(60 * 234).init();
 * ComputationGraph tiny = MnistCinn.tiny().init();                       // for tests
 * ComputationGraph mine = MnistCinn.paper().blocks(12).hidden(256, 256).clampAlpha(1.5).init();
 * }</pre>
 */
public final class MnistCinn {

    /** Parameters of {@link #paper()}: 24 x 2 x (402*512 + 512 + 2 * (512*512 + 512) + 512*784 + 784) + 1. */
    public static final long PAPER_PARAMETERS = 54_424_321L;

    public static final String IMAGE_INPUT = "x";
    public static final String LABEL_INPUT = "label";
    public static final String LOSS = "nll";
    /** Label embedding width of {@link #quick()}. */
    public static final int QUICK_LABEL_EMBEDDING = 512;
    /** The optional learned label embedding ({@link Builder#labelEmbedding(int)}). */
    public static final String LABEL_EMBEDDING = "labelEmbedding";

    private final Builder b;

    private MnistCinn(Builder b) {
        this.b = b.copy();
    }

    /** The paper's configuration (see the class comment). */
    public static Builder paper() {
        return new Builder();
    }

    /** Same as {@link #paper()}. */
    public static Builder builder() {
        return paper();
    }

    /**
     * The main job's model, sized for a few minutes of training on 2 CPU cores (3 epochs): 8 blocks with one hidden
     * layer of 256, the data standardised inside the model ({@link Standardize}: 0.24 bits/dim better after one epoch
     * in an A/B run here), learning rate 1e-3 decaying to 1e-4 (the paper's 1e-4 to 1e-6 is tuned for the long runs
     * of the big model; decaying to 1e-5 within three epochs measured 0.15 bits/dim worse), and the label through a
     * learned linear conditioning network of width 512 ({@link Builder#labelEmbedding(int)}). Why the embedding: fed
     * directly, the one-hot label moves each hidden unit by one weight per Adam step, while the image half moves it
     * through hundreds; after 3 epochs (or 8) that model still ignored the label (style transfer kept the input digit,
     * label fidelity 0.15-0.29). With the embedding, 3 epochs gave label fidelity 0.70 and 0.065 bits/dim better
     * test likelihood (A/B runs in README). Everything else as in the paper; 6.9 M parameters.
     */
    public static Builder quick() {
        return new Builder().name("mnist-cinn-quick").blocks(8).hidden(256).standardize(true).learningRate(1e-3)
                .finalLearningRate(1e-4).labelEmbedding(QUICK_LABEL_EMBEDDING);
    }

    /** A few thousand parameters for unit tests: 4 blocks, one hidden layer of 32. */
    public static Builder tiny() {
        return new Builder().name("mnist-cinn-tiny").blocks(4).hidden(32).learningRate(1e-3)
                .finalLearningRate(1e-4);
    }

    /** A preset by name: {@code paper}, {@code quick} or {@code tiny}. */
    public static Builder preset(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "paper":
                return paper();
            case "quick":
                return quick();
            case "tiny":
                return tiny();
            default:
                throw new IllegalArgumentException("unknown model preset '" + name + "'; use paper, quick or tiny");
        }
    }

    public ComputationGraphConfiguration conf() {
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder()
                .seed(b.seed)
                .dataType(DataType.FLOAT)
                .updater(updater())
                .l2(b.l2)
                .l2Bias(b.l2)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        CinnGraphBuilder g = CinnGraphBuilder.create(global)
                .flowInput(IMAGE_INPUT, FlowShape.image(1, b.imageSize, b.imageSize))
                .conditionInput(LABEL_INPUT, InputType.feedForward(b.numClasses))
                .flatten();
        if (b.standardize) {
            g.add("standardize", new Standardize(b.dataMean, b.dataStd));
        }
        String condition = LABEL_INPUT;
        int conditionSize = b.numClasses;
        if (b.labelEmbedding > 0) {
            condition = LABEL_EMBEDDING;
            conditionSize = b.labelEmbedding;
            g.graph().addLayer(LABEL_EMBEDDING, new DenseLayer.Builder().nIn(b.numClasses).nOut(conditionSize)
                    .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), LABEL_INPUT);
        }
        for (int i = 0; i < b.blocks; i++) {
            Subnet subnet = Subnet.fullyConnected(b.hidden).zeroLastLayer(b.zeroInitLastLayer);
            g.add("cc" + i, AffineCoupling.builder().subnet(subnet).vectorCondition(conditionSize)
                    .clamp(b.clamp, b.clampAlpha).build(), condition);
            if (b.permutations) {
                g.add("perm" + i, new FixedPermutation(b.seed * 1_000_003L + i));
            }
        }
        return g.build(LOSS);
    }

    /** A new, initialised graph. */
    public ComputationGraph init() {
        ComputationGraph graph = new ComputationGraph(conf());
        graph.init();
        return graph;
    }

    /** Adam with the exponential schedule; see the class comment. */
    Adam updater() {
        Adam adam = new Adam(schedule());
        adam.setBeta1(b.beta1);
        adam.setBeta2(b.beta2);
        adam.setEpsilon(b.epsilon);
        return adam;
    }

    /** lr(i) = lr0 * gamma^i with gamma chosen so that lr(decayIterations) = finalLearningRate. */
    public ISchedule schedule() {
        double gamma = Math.pow(b.finalLearningRate / b.learningRate, 1.0 / Math.max(1, b.decayIterations));
        return new ExponentialSchedule(ScheduleType.ITERATION, b.learningRate, gamma);
    }

    /** Parameters of the configured model, computed without building it. */
    public long parameterCount() {
        long d = (long) b.imageSize * b.imageSize;
        long half1 = d / 2;
        long half2 = d - half1;
        int c = b.labelEmbedding > 0 ? b.labelEmbedding : b.numClasses;
        long embedding = b.labelEmbedding > 0 ? (long) b.numClasses * c + c : 0;
        return embedding + b.blocks * (fc(half2 + c, 2 * half1) + fc(half1 + c, 2 * half2)) + 1;
    }

    private long fc(long in, long out) {
        long total = 0;
        long prev = in;
        for (int h : b.hidden) {
            total += prev * h + h;
            prev = h;
        }
        return total + prev * out + out;
    }

    public String name() { return b.name; }
    public int batchSize() { return b.batchSize; }
    public double noiseSigma() { return b.noiseSigma; }
    public int blocks() { return b.blocks; }
    public int[] hidden() { return b.hidden.clone(); }
    public double learningRate() { return b.learningRate; }
    public double finalLearningRate() { return b.finalLearningRate; }
    public int decayIterations() { return b.decayIterations; }
    public long seed() { return b.seed; }
    public boolean standardized() { return b.standardize; }
    public int numClasses() { return b.numClasses; }
    public int labelEmbedding() { return b.labelEmbedding; }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s%s%d blocks, FC subnet %s, clamp %s %.3g, permutations %s, "
                        + "zero-init last layer %s, Adam(%.3g, %.3g, %.1e) lr %.1e -> %.1e over %d iterations, "
                        + "L2 %.1e, batch %d, noise sigma %.3g, %,d parameters",
                b.name, b.standardize ? String.format(Locale.ROOT, "standardise (x-%.3g)/%.3g, ", b.dataMean,
                        b.dataStd) : "", b.labelEmbedding > 0 ? "label embedding " + b.labelEmbedding + ", " : "",
                b.blocks, Arrays.toString(b.hidden), b.clamp, b.clampAlpha, b.permutations,
                b.zeroInitLastLayer, b.beta1, b.beta2, b.epsilon, b.learningRate, b.finalLearningRate,
                b.decayIterations, b.l2, b.batchSize, b.noiseSigma, parameterCount());
    }

    /** Every hyperparameter, defaults from the paper. */
    public static final class Builder {
        private String name = "mnist-cinn-paper";
        private int blocks = 24;
        private int[] hidden = {512, 512, 512};
        private Clamp clamp = Clamp.ATAN;
        private double clampAlpha = 1.9;
        private boolean permutations = true;
        private boolean zeroInitLastLayer = true;
        private double learningRate = 1e-4;
        private double finalLearningRate = 1e-6;
        private int decayIterations = 60 * 234; // 60 epochs of 60,000 images at batch 256, unless told
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-6;
        private double l2 = 1e-5;
        private int batchSize = 256;
        private double noiseSigma = 0.02;
        private long seed = 1234;
        private int numClasses = 10;
        private int imageSize = 28;
        private boolean standardize = false;
        private double dataMean = Standardize.MNIST_MEAN;
        private double dataStd = Standardize.MNIST_STD;
        private int labelEmbedding = 0;

        private Builder() {}

        Builder copy() {
            Builder c = new Builder();
            c.name = name;
            c.blocks = blocks;
            c.hidden = hidden.clone();
            c.clamp = clamp;
            c.clampAlpha = clampAlpha;
            c.permutations = permutations;
            c.zeroInitLastLayer = zeroInitLastLayer;
            c.learningRate = learningRate;
            c.finalLearningRate = finalLearningRate;
            c.decayIterations = decayIterations;
            c.beta1 = beta1;
            c.beta2 = beta2;
            c.epsilon = epsilon;
            c.l2 = l2;
            c.batchSize = batchSize;
            c.noiseSigma = noiseSigma;
            c.seed = seed;
            c.numClasses = numClasses;
            c.imageSize = imageSize;
            c.standardize = standardize;
            c.dataMean = dataMean;
            c.dataStd = dataStd;
            c.labelEmbedding = labelEmbedding;
            return c;
        }

        public Builder name(String name) { this.name = name; return this; }

        /** Number of (coupling, permutation) segments; paper 24. */
        public Builder blocks(int blocks) {
            require(blocks > 0, "blocks must be > 0, got " + blocks);
            this.blocks = blocks;
            return this;
        }

        /** Hidden layer widths of each subnet; paper 512, 512, 512. */
        public Builder hidden(int... hidden) {
            require(hidden.length > 0, "at least one hidden layer");
            for (int h : hidden) require(h > 0, "hidden widths must be > 0, got " + Arrays.toString(hidden));
            this.hidden = hidden.clone();
            return this;
        }

        public Builder clamp(Clamp clamp) { this.clamp = clamp; return this; }

        /** Soft-clamp alpha; paper 1.9. */
        public Builder clampAlpha(double alpha) {
            require(alpha > 0, "clamp alpha must be > 0, got " + alpha);
            this.clampAlpha = alpha;
            return this;
        }

        /** Fixed random permutation after each coupling block (paper: on). */
        public Builder permutations(boolean on) { this.permutations = on; return this; }

        /** Zero the last subnet layer so every block starts as the identity (paper: on). */
        public Builder zeroInitLastLayer(boolean on) { this.zeroInitLastLayer = on; return this; }

        /** Initial learning rate; paper 1e-4. */
        public Builder learningRate(double lr) {
            require(lr > 0, "learning rate must be > 0, got " + lr);
            this.learningRate = lr;
            return this;
        }

        /** Learning rate reached after {@link #decayIterations(int)}; paper 1e-6. Equal to the initial = constant. */
        public Builder finalLearningRate(double lr) {
            require(lr > 0, "final learning rate must be > 0, got " + lr);
            this.finalLearningRate = lr;
            return this;
        }

        /** Iterations over which the learning rate decays from initial to final (the planned training length). */
        public Builder decayIterations(int iterations) {
            require(iterations > 0, "decay iterations must be > 0, got " + iterations);
            this.decayIterations = iterations;
            return this;
        }

        public Builder adam(double beta1, double beta2, double epsilon) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
            return this;
        }

        /** L2 weight decay coefficient (on weights and biases, before Adam); paper 1e-5. */
        public Builder l2(double l2) {
            require(l2 >= 0, "l2 must be >= 0, got " + l2);
            this.l2 = l2;
            return this;
        }

        /** Training batch size; paper 256. */
        public Builder batchSize(int batch) {
            require(batch > 0, "batch size must be > 0, got " + batch);
            this.batchSize = batch;
            return this;
        }

        /** Gaussian noise augmentation sigma for images in [0, 1]; paper 0.02. */
        public Builder noiseSigma(double sigma) {
            require(sigma >= 0, "noise sigma must be >= 0, got " + sigma);
            this.noiseSigma = sigma;
            return this;
        }

        /** Seed of the parameter initialisation and of the permutations. */
        public Builder seed(long seed) { this.seed = seed; return this; }

        public Builder numClasses(int n) {
            require(n > 0, "numClasses must be > 0");
            this.numClasses = n;
            return this;
        }

        /**
         * Standardise the data inside the model first ({@link Standardize}, fixed, no parameters): {@code (x −
         * mean)/std}, by default MNIST's 0.128 and 0.305. Off in the paper preset (the supplement lists no such
         * block).
         */
        public Builder standardize(boolean on) { this.standardize = on; return this; }

        public Builder standardize(double mean, double std) {
            this.standardize = true;
            this.dataMean = mean;
            this.dataStd = std;
            return this;
        }

        /**
         * Width of a learned linear conditioning network {@code h(c) = W c + b} between the one-hot label and the
         * subnets, trained jointly (0 = the paper's MNIST model: one-hot fed directly).
         */
        public Builder labelEmbedding(int width) {
            require(width >= 0, "label embedding width must be >= 0, got " + width);
            this.labelEmbedding = width;
            return this;
        }

        /** Side of the square grey images; 28 for MNIST. */
        public Builder imageSize(int size) {
            require(size > 1, "image size must be > 1");
            this.imageSize = size;
            return this;
        }

        public MnistCinn build() {
            return new MnistCinn(this);
        }

        public ComputationGraphConfiguration conf() {
            return build().conf();
        }

        public ComputationGraph init() {
            return build().init();
        }

        private static void require(boolean ok, String message) {
            if (!ok) throw new IllegalArgumentException(message);
        }
    }
}
