package io.github.dl4jcinn.zoo.conditioning;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins a conditioning backbone, per-block conditioning heads and the invertible stack into <b>one</b>
 * {@link ComputationGraph}, trained jointly by the maximum-likelihood loss (or with the backbone held fixed, per
 * {@link ConditioningSchedule}).
 *
 * <p>How: the backbone's configuration (cut and fine-tuned by DL4J's {@code TransferLearning.GraphBuilder} in
 * {@link Backbones}) seeds a DL4J {@code ComputationGraphConfiguration.GraphBuilder} through its copy constructor
 * (what DL4J's transfer learning does internally); {@link CinnGraphBuilder} adds the flow on top; {@link #init}
 * initialises the joint graph and copies the backbone's (pretrained) parameters in by layer name. Backbone layers
 * keep the updater of their fine-tune configuration, new layers and flow blocks get {@code global}'s. With
 * {@link ConditioningMode#NONE} there is no backbone: {@link #head} returns the raw condition image,
 * average-pooled to the requested size.
 *
 * <pre>{@code ConditionedCinnBuilder j = ConditionedCinnBuilder.create(global, schedule, backbone, "L",
 *         InputType.convolutional(64, 64, 1));
 * CinnGraphBuilder cinn = j.cinn().flowInput("ab", FlowShape.image(2, 64, 64));
 * String c1 = j.head("h1", HeadSpec.image(32, 64, 64));
 * cinn.add("cc1", AffineCoupling.builder().subnet(...).imageCondition(32, 64, 64).build(), c1);
 * ComputationGraph graph = j.init("nll");}</pre>
 */
public final class ConditionedCinnBuilder {

    private final CinnGraphBuilder cinn;
    private final Backbone backbone;
    private final ConditioningSchedule schedule;
    private final String conditionInput;
    private final InputType.InputTypeConvolutional conditionType;
    private final List<String> headLayers = new ArrayList<>();

    private ConditionedCinnBuilder(CinnGraphBuilder cinn, Backbone backbone, ConditioningSchedule schedule,
                                   String conditionInput, InputType.InputTypeConvolutional conditionType) {
        this.cinn = cinn;
        this.backbone = backbone;
        this.schedule = schedule;
        this.conditionInput = conditionInput;
        this.conditionType = conditionType;
    }

    /**
     * Starts a joint graph. {@code backbone} must be null exactly when the schedule is {@code NONE}; its input must
     * be named {@code conditionInput} and have {@code conditionType}.
     */
    public static ConditionedCinnBuilder create(NeuralNetConfiguration.Builder global, ConditioningSchedule schedule,
                                                Backbone backbone, String conditionInput,
                                                InputType.InputTypeConvolutional conditionType) {
        if (schedule.hasBackbone() != (backbone != null)) {
            throw new IllegalArgumentException("schedule " + schedule + (backbone == null ? " needs" : " takes no")
                    + " backbone");
        }
        CinnGraphBuilder cinn;
        if (backbone == null) {
            cinn = CinnGraphBuilder.create(global);
        } else {
            if (!backbone.input().equals(conditionInput)) {
                throw new IllegalArgumentException("backbone input is '" + backbone.input() + "', expected '"
                        + conditionInput + "'");
            }
            if (backbone.inputChannels() != conditionType.getChannels()
                    || backbone.inputHeight() != conditionType.getHeight()
                    || backbone.inputWidth() != conditionType.getWidth()) {
                throw new IllegalArgumentException("backbone was cut for input " + backbone.inputChannels() + "x"
                        + backbone.inputHeight() + "x" + backbone.inputWidth() + ", condition is " + conditionType);
            }
            ComputationGraphConfiguration.GraphBuilder g = new ComputationGraphConfiguration.GraphBuilder(
                    backbone.graph().getConfiguration(), global);
            // inputs and outputs are declared again by CinnGraphBuilder (which also sets the input types)
            g.setNetworkInputs(new ArrayList<>());
            g.setNetworkOutputs(new ArrayList<>());
            cinn = CinnGraphBuilder.create(g);
        }
        cinn.conditionInput(conditionInput, conditionType);
        return new ConditionedCinnBuilder(cinn, backbone, schedule, conditionInput, conditionType);
    }

    /** The flow builder (condition input already declared); add the flow input and blocks here. */
    public CinnGraphBuilder cinn() {
        return cinn;
    }

    public Backbone backbone() {
        return backbone;
    }

    public ConditioningSchedule schedule() {
        return schedule;
    }

    /** Layers added for heads (trained in every mode, also FIXED). */
    public List<String> headLayers() {
        return List.copyOf(headLayers);
    }

    /**
     * Adds a head from the backbone's deepest feature map (see {@link HeadSpec}) and returns the vertex to use as a
     * coupling block's condition. Without a backbone: the condition image pooled to the target size (global heads:
     * pooled to {@code channels} values = a {@code sqrt(channels)} square, which must be whole).
     */
    public String head(String name, HeadSpec spec) {
        return backbone == null ? rawCondition(name, spec) : head(name, spec, backbone.deepest());
    }

    /** Adds a head reading a given backbone output (e.g. one level of a ResNet feature pyramid). */
    public String head(String name, HeadSpec spec, FeatureMap from) {
        if (backbone == null) {
            return rawCondition(name, spec);
        }
        ComputationGraphConfiguration.GraphBuilder g = cinn.graph();
        String in = from.vertex();
        if (from.vector()) {
            throw new IllegalArgumentException("head '" + name + "' needs a feature map, got vector " + from);
        }
        if (spec.global()) {
            int n = spec.stridedWidths().length;
            for (int i = 0; i < n; i++) {
                in = conv(g, name + "-s" + i, spec.stridedWidth(i, n), 2, true, in);
            }
            layer(g, name + "-pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
            layer(g, name + "-bn", new BatchNormalization.Builder().build(), name + "-pool");
            return name + "-bn";
        }
        int ratio = ratio(name, from.height(), spec.height(), from.width(), spec.width());
        if (ratio > 0) {
            int n = Integer.numberOfTrailingZeros(ratio);
            for (int i = 0; i < n; i++) {
                in = conv(g, name + "-s" + i, spec.stridedWidth(i, n), 2, true, in);
            }
        }
        in = conv(g, name + "-conv", spec.channels(), 1, false, in);
        layer(g, name + "-bn", new BatchNormalization.Builder().build(), in);
        in = name + "-bn";
        if (ratio < 0) {
            layer(g, name + "-up", new Upsampling2D.Builder(-ratio).build(), in);
            in = name + "-up";
        }
        return in;
    }

    /**
     * The condition image average-pooled (or nearest-upsampled) to {@code height x width}: a parameter-free
     * "skip" of the raw condition, e.g. to give every colorization head the exact L at its resolution.
     */
    public String pooledCondition(String name, int height, int width) {
        ComputationGraphConfiguration.GraphBuilder g = cinn.graph();
        int ratio = ratio(name, (int) conditionType.getHeight(), height, (int) conditionType.getWidth(), width);
        if (ratio == 1) {
            return conditionInput;
        }
        if (ratio > 1) {
            g.addLayer(name, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG, new int[]{ratio, ratio},
                    new int[]{ratio, ratio}).build(), conditionInput);
        } else {
            g.addLayer(name, new Upsampling2D.Builder(-ratio).build(), conditionInput);
        }
        return name;
    }

    /** Merges vertices along channels (e.g. a head and {@link #pooledCondition}). */
    public String merge(String name, String... vertices) {
        cinn.graph().addVertex(name, new MergeVertex(), vertices);
        return name;
    }

    /**
     * Builds the configuration, initialises the graph and copies the backbone's parameters in. The result trains
     * with {@code graph.fit(MultiDataSet)} (features in input order: condition first, then the flow input; labels:
     * any {@code [N, 1]}).
     */
    public ComputationGraph init(String lossName) {
        ComputationGraph graph = new ComputationGraph(cinn.build(lossName));
        graph.init();
        if (backbone != null) {
            for (GraphVertex v : backbone.graph().getVertices()) {
                if (v.hasLayer() && v.numParams() > 0) {
                    graph.getLayer(v.getVertexName()).setParams(v.getLayer().params().dup());
                }
            }
        }
        return graph;
    }

    // ---- helpers ----

    private String rawCondition(String name, HeadSpec spec) {
        if (spec.global()) {
            int side = (int) Math.round(Math.sqrt(spec.channels()));
            if (side * side != spec.channels() || conditionType.getChannels() != 1) {
                throw new IllegalArgumentException("without a conditioning network a global head of " + spec.channels()
                        + " values must be a pooled 1-channel square, condition is " + conditionType);
            }
            return pooledCondition(name + "-raw", side, side);
        }
        return pooledCondition(name + "-raw", spec.height(), spec.width());
    }

    /** Power-of-two ratio from → to: positive for downsampling by it, negative for upsampling by its magnitude. */
    private static int ratio(String name, int fromH, int toH, int fromW, int toW) {
        if (fromH * toW != fromW * toH) {
            throw new IllegalArgumentException("head '" + name + "': aspect ratio " + fromH + "x" + fromW
                    + " -> " + toH + "x" + toW + " differs");
        }
        int r = fromH >= toH ? fromH / toH : -(toH / fromH);
        int abs = Math.abs(r);
        boolean exact = fromH >= toH ? fromH == toH * abs : toH == fromH * abs;
        if (!exact || Integer.bitCount(abs) != 1) {
            throw new IllegalArgumentException("head '" + name + "': cannot map " + fromH + "x" + fromW + " to "
                    + toH + "x" + toW + " by a power-of-two factor");
        }
        return r == -1 ? 1 : r;
    }

    private String conv(ComputationGraphConfiguration.GraphBuilder g, String name, int channels, int stride,
                        boolean leaky, String in) {
        layer(g, name, new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(channels)
                .convolutionMode(ConvolutionMode.Same)
                .activation(leaky ? new ActivationLReLU(0.01) : Activation.IDENTITY.getActivationFunction())
                .build(), in);
        return name;
    }

    private void layer(ComputationGraphConfiguration.GraphBuilder g, String name,
                       org.deeplearning4j.nn.conf.layers.Layer layer, String in) {
        g.addLayer(name, layer, in);
        headLayers.add(name);
    }
}
