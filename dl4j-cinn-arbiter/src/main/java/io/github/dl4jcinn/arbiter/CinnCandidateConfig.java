package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.zoo.conditioning.ConditioningMode;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One point of a cINN hyperparameter search: everything that decides the model and its training, as a plain
 * serialisable bean. Arbiter's candidate generators produce it from a {@link CinnParameterSpace} (and hand it around
 * Java-serialised, hence {@link Serializable}); {@link CinnModels} turns it into a DL4J graph.
 *
 * <p>An {@link Ablation} is applied on top of the other fields when the model is built ({@link #resolved()}), so a
 * preset can say "the full model, minus one improvement" without repeating the full model.
 *
 * <pre>{@code CinnCandidateConfig c = new CinnCandidateConfig();
 * c.setAblation(CinnCandidateConfig.Ablation.NO_HAAR);          // checkerboard squeeze instead of Haar
 * ComputationGraph g = CinnModels.build(c);}</pre>
 */
public class CinnCandidateConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What the model learns. */
    public enum Task {
        /** Class-conditional 28x28 grey images (MNIST, Fashion-MNIST): the models of {@link CinnModels}. */
        DIGITS,
        /**
         * Colorization (Lab a, b given L) with the zoo's {@code ColorizationCinn} (preset {@link #getColorModel()}):
         * only conditioning, learning rate, batch size, noise, clamp alpha, L2 and seed apply.
         */
        COLORIZATION
    }

    /** Model family. */
    public enum Architecture {
        /** The paper's MNIST model: flattened image, fully connected couplings, fixed permutations (no downsampling). */
        FC,
        /** Small multi-scale model: downsampling, couplings at 14x14 and 7x7, early split, FC tail (see CinnModels). */
        MULTISCALE
    }

    /** How the multi-scale model halves the resolution. */
    public enum Downsampling {
        /** Haar wavelets: average + horizontal/vertical/diagonal details (paper Sec. 3.4). */
        HAAR,
        /** Plain space-to-depth squeeze (RealNVP/i-RevNet), the paper's "no Haar" ablation. */
        CHECKERBOARD
    }

    /** Subnet initialisation. */
    public enum Init {
        /** Xavier everywhere, last layer of every subnet zero: each block starts as the identity (paper Sec. 3.4). */
        XAVIER_ZERO_LAST,
        /** Xavier everywhere, including the last layer: the "no special init" ablation. */
        XAVIER
    }

    /** The training improvements of the guided-generation paper (Sec. 3.4), each removable on its own (Fig. 10). */
    public enum Ablation {
        /** The full model. */
        NONE("full model"),
        /** No soft clamping of the scale coefficients. */
        NO_CLAMP("no clamping"),
        /** Checkerboard squeeze instead of Haar downsampling (multi-scale model only). */
        NO_HAAR("no Haar (checkerboard)"),
        /** No noise augmentation. */
        NO_NOISE("no noise"),
        /** No fixed permutations / orthogonal channel mixing. */
        NO_PERMUTATION("no permutations"),
        /** Plain Xavier initialisation (last subnet layer not zeroed). */
        NO_INIT("no special init");

        private final String label;

        Ablation(String label) {
            this.label = label;
        }

        /** Human-readable name, as in the paper's Fig. 10 legend. */
        public String label() {
            return label;
        }
    }

    private String name = "";
    private Task task = Task.DIGITS;
    private String colorModel = "tiny";
    private Architecture architecture = Architecture.MULTISCALE;
    private int blocks = 2;
    private int fcBlocks = 2;
    private int convWidth = 32;
    private boolean convSubnets = false;
    private int fcWidth = 128;
    private int subnetDepth = 1;
    private Clamp clamp = Clamp.ATAN;
    private double clampAlpha = 1.9;
    private Downsampling downsampling = Downsampling.HAAR;
    private boolean permutations = true;
    private double noiseSigma = 0.02;
    private Init init = Init.XAVIER_ZERO_LAST;
    private double learningRate = 1e-3;
    private int batchSize = 64;
    private ConditioningMode conditioning = ConditioningMode.NONE;
    private int conditionWidth = 32;
    private double l2 = 1e-5;
    private long seed = 1234;
    private Ablation ablation = Ablation.NONE;

    public CinnCandidateConfig() {}

    /** A copy (all fields are immutable values). */
    public CinnCandidateConfig copy() {
        CinnCandidateConfig c = new CinnCandidateConfig();
        c.name = name;
        c.task = task;
        c.colorModel = colorModel;
        c.architecture = architecture;
        c.blocks = blocks;
        c.fcBlocks = fcBlocks;
        c.convWidth = convWidth;
        c.convSubnets = convSubnets;
        c.fcWidth = fcWidth;
        c.subnetDepth = subnetDepth;
        c.clamp = clamp;
        c.clampAlpha = clampAlpha;
        c.downsampling = downsampling;
        c.permutations = permutations;
        c.noiseSigma = noiseSigma;
        c.init = init;
        c.learningRate = learningRate;
        c.batchSize = batchSize;
        c.conditioning = conditioning;
        c.conditionWidth = conditionWidth;
        c.l2 = l2;
        c.seed = seed;
        c.ablation = ablation;
        return c;
    }

    /** The configuration actually trained: this one with {@link #getAblation()} applied. */
    public CinnCandidateConfig resolved() {
        CinnCandidateConfig c = copy();
        switch (ablation) {
            case NO_CLAMP:
                c.clamp = Clamp.NONE;
                break;
            case NO_HAAR:
                c.downsampling = Downsampling.CHECKERBOARD;
                break;
            case NO_NOISE:
                c.noiseSigma = 0;
                break;
            case NO_PERMUTATION:
                c.permutations = false;
                break;
            case NO_INIT:
                c.init = Init.XAVIER;
                break;
            default:
                break;
        }
        return c;
    }

    /** Checks ranges; throws {@link IllegalArgumentException} naming the field. */
    public CinnCandidateConfig validate() {
        require(blocks >= 1, "blocks must be >= 1, got " + blocks);
        require(fcBlocks >= 0, "fcBlocks must be >= 0, got " + fcBlocks);
        require(convWidth >= 1 && fcWidth >= 1, "subnet widths must be >= 1");
        require(subnetDepth >= 1, "subnetDepth must be >= 1, got " + subnetDepth);
        require(clampAlpha > 0, "clampAlpha must be > 0, got " + clampAlpha);
        require(noiseSigma >= 0 && Double.isFinite(noiseSigma), "noiseSigma must be finite and >= 0");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0, got " + learningRate);
        require(batchSize >= 1, "batchSize must be >= 1, got " + batchSize);
        require(conditionWidth >= 1, "conditionWidth must be >= 1");
        require(l2 >= 0, "l2 must be >= 0");
        require(task != null && colorModel != null && architecture != null && clamp != null && downsampling != null && init != null
                && conditioning != null && ablation != null, "enum fields must not be null");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Display name: the explicit name, else the ablation's label. */
    public String displayName() {
        return name != null && !name.isEmpty() ? name : ablation.label();
    }

    /**
     * Every field as an ordered map (CSV columns, reports). Values are the configured ones; {@code ablation} says
     * what {@link #resolved()} changes.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", displayName());
        m.put("ablation", ablation);
        m.put("task", task);
        m.put("colorModel", colorModel);
        m.put("architecture", architecture);
        m.put("blocks", blocks);
        m.put("fcBlocks", fcBlocks);
        m.put("convSubnets", convSubnets);
        m.put("convWidth", convWidth);
        m.put("fcWidth", fcWidth);
        m.put("subnetDepth", subnetDepth);
        m.put("clamp", clamp);
        m.put("clampAlpha", clampAlpha);
        m.put("downsampling", downsampling);
        m.put("permutations", permutations);
        m.put("noiseSigma", noiseSigma);
        m.put("init", init);
        m.put("learningRate", learningRate);
        m.put("batchSize", batchSize);
        m.put("conditioning", conditioning);
        m.put("conditionWidth", conditionWidth);
        m.put("l2", l2);
        m.put("seed", seed);
        return m;
    }

    /** Short hex fingerprint of the resolved configuration (identifies a finished candidate when resuming). */
    public String fingerprint() {
        Map<String, Object> m = resolved().toMap();
        m.put("name", displayName());
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(m.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                sb.append(String.format(Locale.ROOT, "%02x", h[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line: name and the settings that differ between typical candidates. */
    public String summary() {
        CinnCandidateConfig r = resolved();
        if (r.task == Task.COLORIZATION) {
            return String.format(Locale.ROOT, "%s: colorization (%s) c.n.=%s lr=%.1e batch=%d noise=%.3g alpha=%s",
                    displayName(), r.colorModel, r.conditioning, r.learningRate, r.batchSize, r.noiseSigma,
                    r.clampAlpha);
        }
        boolean conv = r.architecture == Architecture.MULTISCALE && r.convSubnets;
        return String.format(Locale.ROOT, "%s: %s blocks=%d%s width=%s depth=%d clamp=%s%s %s perm=%s noise=%.3g "
                        + "init=%s lr=%.1e batch=%d c.n.=%s",
                displayName(), r.architecture + (conv ? "(conv)" : ""), r.blocks,
                r.architecture == Architecture.MULTISCALE ? "x2+" + r.fcBlocks + "fc" : "",
                conv ? r.convWidth + "/" + r.fcWidth : String.valueOf(r.fcWidth),
                r.subnetDepth, r.clamp, r.clamp == Clamp.NONE ? "" : "(" + r.clampAlpha + ")",
                r.architecture == Architecture.MULTISCALE ? r.downsampling : "-", r.permutations, r.noiseSigma,
                r.init, r.learningRate, r.batchSize, r.conditioning);
    }

    @Override
    public String toString() {
        return summary();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CinnCandidateConfig && toMap().equals(((CinnCandidateConfig) o).toMap());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toMap());
    }

    // ---- bean accessors (JSON) ----

    public String getName() { return name; }
    public void setName(String name) { this.name = name == null ? "" : name; }
    public Task getTask() { return task; }
    public void setTask(Task task) { this.task = task; }
    /** COLORIZATION: the zoo's colorization preset ({@code tiny}: 16x16, {@code small}: 64x64). */
    public String getColorModel() { return colorModel; }
    public void setColorModel(String colorModel) { this.colorModel = colorModel; }
    public Architecture getArchitecture() { return architecture; }
    public void setArchitecture(Architecture architecture) { this.architecture = architecture; }
    /** FC: coupling blocks; MULTISCALE: conv coupling blocks per resolution level (two levels). */
    public int getBlocks() { return blocks; }
    public void setBlocks(int blocks) { this.blocks = blocks; }
    /** MULTISCALE: fully connected coupling blocks after the last split (ignored by FC). */
    public int getFcBlocks() { return fcBlocks; }
    public void setFcBlocks(int fcBlocks) { this.fcBlocks = fcBlocks; }
    /** MULTISCALE: 3x3 convolutional subnets in the image stages (else fully connected ones, much faster here). */
    public boolean isConvSubnets() { return convSubnets; }
    public void setConvSubnets(boolean convSubnets) { this.convSubnets = convSubnets; }
    /** Hidden channels of convolutional subnets. */
    public int getConvWidth() { return convWidth; }
    public void setConvWidth(int convWidth) { this.convWidth = convWidth; }
    /** Hidden units of fully connected subnets. */
    public int getFcWidth() { return fcWidth; }
    public void setFcWidth(int fcWidth) { this.fcWidth = fcWidth; }
    /** Hidden layers per subnet. */
    public int getSubnetDepth() { return subnetDepth; }
    public void setSubnetDepth(int subnetDepth) { this.subnetDepth = subnetDepth; }
    public Clamp getClamp() { return clamp; }
    public void setClamp(Clamp clamp) { this.clamp = clamp; }
    public double getClampAlpha() { return clampAlpha; }
    public void setClampAlpha(double clampAlpha) { this.clampAlpha = clampAlpha; }
    public Downsampling getDownsampling() { return downsampling; }
    public void setDownsampling(Downsampling downsampling) { this.downsampling = downsampling; }
    /** Fixed permutations (FC stages) and fixed orthogonal 1x1 mixing (conv stages). */
    public boolean isPermutations() { return permutations; }
    public void setPermutations(boolean permutations) { this.permutations = permutations; }
    /** Gaussian noise sigma on pixel/255 images (paper: 0.02). */
    public double getNoiseSigma() { return noiseSigma; }
    public void setNoiseSigma(double noiseSigma) { this.noiseSigma = noiseSigma; }
    public Init getInit() { return init; }
    public void setInit(Init init) { this.init = init; }
    /** Constant Adam learning rate. */
    public double getLearningRate() { return learningRate; }
    public void setLearningRate(double learningRate) { this.learningRate = learningRate; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    /** Conditioning network: none (condition fed directly), fixed (random, never trained) or jointly trained. */
    public ConditioningMode getConditioning() { return conditioning; }
    public void setConditioning(ConditioningMode conditioning) { this.conditioning = conditioning; }
    /** Output width of the conditioning network (FIXED/JOINT). */
    public int getConditionWidth() { return conditionWidth; }
    public void setConditionWidth(int conditionWidth) { this.conditionWidth = conditionWidth; }
    public double getL2() { return l2; }
    public void setL2(double l2) { this.l2 = l2; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
    public Ablation getAblation() { return ablation; }
    public void setAblation(Ablation ablation) { this.ablation = ablation; }
}
