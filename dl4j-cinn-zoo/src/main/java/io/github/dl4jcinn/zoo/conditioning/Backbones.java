package io.github.dl4jcinn.zoo.conditioning;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conditioning backbones cut from {@code deeplearning4j-zoo} networks with DL4J's
 * {@link TransferLearning.GraphBuilder}, so they stay ordinary DL4J graphs (pretrained weights load, save, fine-tune
 * and freeze the DL4J way).
 *
 * <ul>
 *   <li>{@link #vgg16}: VGG16 cut after block 3's third convolution (layer {@code "8"}): 256 feature maps at 1/4 of
 *       the input resolution. The guided-generation paper cuts its VGG-like colorization network before the
 *       second-to-last convolution and gets 256 maps at 1/4 resolution (64x64 from a 256x256 L image); block 3 of
 *       VGG16 is the equivalent point (the next layer is a pooling).</li>
 *   <li>{@link #resnet50}: ResNet50 cut after a chosen stage, with the end of every stage up to it as a feature
 *       pyramid ({@link ResNetStage}). Two of DL4J's pooling layers are replaced so small inputs work: the fixed
 *       3x3 {@code avgpool} (a MAX pooling in truncate mode that needs a 3x3 stage-5 map, i.e. inputs of ~224 px) is
 *       removed, and when stage 5 is kept a global average pooling ({@code global-pool}) takes its place; the stem's
 *       3x3/2 max pooling is re-added in SAME mode, so every stage halves the size exactly (64 -> 16, 8, 4, 2, 1
 *       instead of 15, 8, 4, 2, 1).</li>
 * </ul>
 *
 * <p><b>1-channel input (the L of a Lab image).</b> The first convolution is <em>replaced</em> by one with
 * {@code inputChannels} input channels (the alternative, replicating L to three channels with a fixed layer, was
 * rejected). With pretrained RGB weights the new kernel is the old one summed over its three input channels and
 * scaled, and the ImageNet mean is folded into the bias: a grey image has R = G = B, so
 * {@code W_r*g + W_g*g + W_b*g = (W_r + W_g + W_b)*g} and the replaced layer computes exactly what the pretrained
 * layer computes on the replicated grey image (away from the zero-padded border, where the folded mean differs).
 * Why replace rather than replicate: same function with pretrained weights, a third of the first layer's work, no
 * extra fixed layer for DL4J to carry (a frozen replication layer would also need excluding from the updater and
 * from "the backbone is trainable" checks), and with random initialisation a 1-channel convolution is simply the
 * natural layer. The input is expected as {@code L / 100} in [0, 1]; for pretrained weights it is taken as the grey
 * level {@code 255 · L/100} (sRGB grey and L differ by a gamma-like curve; the linear map is within ~10 grey
 * levels, see {@link Options#pretrainedInputScale}).
 *
 * <p>All layers of the backbone get the {@link Options#fineTune(FineTuneConfiguration) fine-tune configuration}
 * (the updater of the joint model: the zoo's own Nesterovs/RmsProp settings are replaced), and with
 * {@link Options#frozen(boolean)} the whole backbone becomes DL4J {@code FrozenLayer}s
 * ({@code setFeatureExtractor}).
 *
 * <pre>{@code Backbone vgg = Backbones.vgg16(new Backbones.Options().input("L", 1, 64, 64).widthFraction(0.25));
 * Backbone pyramid = Backbones.resnet50(ResNetStage.STAGE3, new Backbones.Options().input("y", 3, 64, 64));}</pre>
 */
public final class Backbones {

    /** VGG16 layer that ends block 3 (third convolution of block 3). */
    public static final String VGG16_BLOCK3 = "8";
    /** VGG16's first convolution. */
    public static final String VGG16_FIRST_CONV = "0";
    /** ResNet50's first convolution and the zero padding in front of it. */
    public static final String RESNET50_FIRST_CONV = "stem-cnn1";
    public static final String RESNET50_STEM_PADDING = "stem-zero";
    /** Global average pooling added after stage 5 in place of DL4J's fixed 3x3 pooling. */
    public static final String RESNET50_GLOBAL_POOL = "global-pool";

    /** ImageNet channel means (R, G, B) on the 0..255 scale, as DL4J's VGG16 image preprocessor subtracts them. */
    public static final double[] IMAGENET_MEAN_RGB = {123.68, 116.779, 103.939};

    private Backbones() {}

    /** VGG16 cut after block 3 (see the class comment). */
    public static Backbone vgg16(Options o) {
        ComputationGraph source;
        if (o.pretrained != null) {
            source = o.pretrained.load(o.zooModel != null ? o.zooModel : VGG16.builder().build(), o.pretrainedType);
        } else {
            // 32x32 keeps the (discarded) dense head small; convolution weights do not depend on the input size
            VGG16 zoo = VGG16.builder().seed(o.seed).numClasses(2).inputShape(new int[]{3, 32, 32})
                    .updater(new Adam(1e-3)).build();
            source = new ComputationGraph(scaleWidths(zoo.conf(), o.widthFraction));
            source.init();
        }
        TransferLearning.GraphBuilder tl = start(source, o);
        removeAllBut(tl, source, ancestors(source.getConfiguration(), VGG16_BLOCK3));
        replaceFirstConv(tl, source, VGG16_FIRST_CONV, o.inputName, o);
        tl.setInputs(o.inputName);
        tl.setInputTypes(InputType.convolutional(o.height, o.width, o.channels));
        tl.setOutputs(VGG16_BLOCK3);
        if (o.frozen) {
            tl.setFeatureExtractor(VGG16_BLOCK3);
        }
        ComputationGraph g = tl.build();
        if (o.pretrained != null) {
            transferFirstConv(source, g, VGG16_FIRST_CONV, o);
        }
        List<FeatureMap> outputs = shapes(g, o, List.of(VGG16_BLOCK3));
        return new Backbone(g, o.inputName, o.channels, o.height, o.width, outputs,
                "VGG16 (deeplearning4j-zoo) cut after block3 conv3 (layer 8)"
                        + (o.pretrained != null ? ", pretrained " + o.pretrainedType : ", random init")
                        + (o.widthFraction != 1 && o.pretrained == null ? ", width x" + o.widthFraction : "")
                        + ", first conv " + o.channels + "-channel" + (o.frozen ? ", frozen" : ""));
    }

    /** ResNet50 cut after {@code deepest}, every stage end up to it an output (see the class comment). */
    public static Backbone resnet50(ResNetStage deepest, Options o) {
        ComputationGraph source;
        if (o.pretrained != null) {
            source = o.pretrained.load(o.zooModel != null ? o.zooModel : ResNet50.builder().build(), o.pretrainedType);
        } else {
            // initialised at its default 224 px (where DL4J's fixed pooling works); the cut graph is size-agnostic
            source = ResNet50.builder().seed(o.seed).numClasses(2).updater(new Adam(1e-3)).build().init();
        }
        TransferLearning.GraphBuilder tl = start(source, o);
        removeAllBut(tl, source, ancestors(source.getConfiguration(), deepest.vertex()));
        // a SAME-mode stem pooling: exact halving at every stage
        tl.removeVertexKeepConnections(ResNetStage.STEM.vertex());
        tl.addLayer(ResNetStage.STEM.vertex(), new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[]{3, 3},
                new int[]{2, 2}).convolutionMode(ConvolutionMode.Same).build(), "stem-act1");
        // the input is renamed by re-adding the parameter-free padding in front of the first convolution
        tl.removeVertexKeepConnections(RESNET50_STEM_PADDING);
        tl.addLayer(RESNET50_STEM_PADDING, new ZeroPaddingLayer.Builder(3, 3).build(), o.inputName);
        if (o.channels != 3) {
            replaceFirstConv(tl, source, RESNET50_FIRST_CONV, RESNET50_STEM_PADDING, o);
        }
        tl.setInputs(o.inputName);
        tl.setInputTypes(InputType.convolutional(o.height, o.width, o.channels));
        List<String> outs = new ArrayList<>();
        for (ResNetStage s : ResNetStage.values()) {
            if (s.ordinal() <= deepest.ordinal()) {
                outs.add(s.vertex());
            }
        }
        if (deepest == ResNetStage.STAGE5) {
            tl.addLayer(RESNET50_GLOBAL_POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                    ResNetStage.STAGE5.vertex());
            outs.add(RESNET50_GLOBAL_POOL);
        }
        tl.setOutputs(outs.toArray(new String[0]));
        if (o.frozen) {
            tl.setFeatureExtractor(deepest.vertex());
        }
        ComputationGraph g = tl.build();
        if (o.pretrained != null && o.channels != 3) {
            transferFirstConv(source, g, RESNET50_FIRST_CONV, o);
        }
        return new Backbone(g, o.inputName, o.channels, o.height, o.width, shapes(g, o, outs),
                "ResNet50 (deeplearning4j-zoo) cut after " + deepest + " (" + deepest.vertex() + "), pyramid "
                        + outs + (o.pretrained != null ? ", pretrained " + o.pretrainedType : ", random init")
                        + ", SAME stem pooling" + (deepest == ResNetStage.STAGE5 ? ", global average pooling" : "")
                        + (o.channels != 3 ? ", first conv " + o.channels + "-channel" : "")
                        + (o.frozen ? ", frozen" : ""));
    }

    // ---- the surgery steps ----

    private static TransferLearning.GraphBuilder start(ComputationGraph source, Options o) {
        FineTuneConfiguration ft = o.fineTune != null ? o.fineTune
                : new FineTuneConfiguration.Builder().seed(o.seed).updater(new Adam(1e-3)).build();
        return new TransferLearning.GraphBuilder(source).fineTuneConfiguration(ft);
    }

    /** Removes every vertex that is neither a graph input nor in {@code keep}. */
    private static void removeAllBut(TransferLearning.GraphBuilder tl, ComputationGraph source, Set<String> keep) {
        ComputationGraphConfiguration conf = source.getConfiguration();
        for (String v : new ArrayList<>(conf.getVertices().keySet())) {
            if (!keep.contains(v)) {
                tl.removeVertexAndConnections(v);
            }
        }
    }

    /** The vertex and everything it depends on. */
    static Set<String> ancestors(ComputationGraphConfiguration conf, String vertex) {
        if (!conf.getVertices().containsKey(vertex)) {
            throw new IllegalArgumentException("no vertex '" + vertex + "' in the zoo graph; vertices: "
                    + conf.getVertices().keySet());
        }
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(vertex);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                List<String> in = conf.getVertexInputs().get(v);
                if (in != null) {
                    in.forEach(todo::push);
                }
            }
        }
        return seen;
    }

    /** Re-adds the first convolution with {@code o.channels} inputs, reading {@code from}. */
    private static void replaceFirstConv(TransferLearning.GraphBuilder tl, ComputationGraph source, String name,
                                         String from, Options o) {
        ConvolutionLayer conv = (ConvolutionLayer) source.getLayer(name).conf().getLayer().clone();
        conv.resetLayerDefaultConfig();
        conv.setNIn(o.channels);
        conv.setWeightInitFn(WeightInit.RELU.getWeightInitFunction());
        tl.removeVertexKeepConnections(name);
        tl.addLayer(name, conv, from);
    }

    /**
     * Pretrained first convolution into the replaced one: copied when the channel count is unchanged, otherwise
     * summed over the RGB inputs with the mean folded into the bias (see the class comment).
     */
    private static void transferFirstConv(ComputationGraph source, ComputationGraph target, String name, Options o) {
        INDArray w = source.getLayer(name).getParam("W");
        INDArray b = source.getLayer(name).getParam("b");
        INDArray newW;
        INDArray newB = b.dup();
        if (o.channels == w.size(1)) {
            newW = w.dup();
        } else {
            if (w.size(1) != 3) {
                throw new IllegalArgumentException("cannot fold a " + w.size(1) + "-channel first convolution");
            }
            INDArray summed = w.sum(true, 1).muli(o.pretrainedInputScale);   // [out, 1, kh, kw]
            for (int c = 0; c < 3; c++) {
                INDArray perOut = w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(c)).sum(1, 2);     // [out]
                newB.subi(perOut.reshape(newB.shape()).muli(o.pretrainedChannelMeans[c]));
            }
            newW = summed.repeat(1, o.channels).divi(o.channels);
        }
        target.getLayer(name).setParam("W", newW.castTo(target.getLayer(name).getParam("W").dataType()));
        target.getLayer(name).setParam("b", newB.castTo(target.getLayer(name).getParam("b").dataType()));
    }

    /**
     * VGG16's configuration with every layer width scaled by {@code f} (input channels and the class count
     * unchanged): a narrower network of the same architecture, for random-init CPU presets.
     */
    static ComputationGraphConfiguration scaleWidths(ComputationGraphConfiguration conf, double f) {
        if (f <= 0 || f > 1) {
            throw new IllegalArgumentException("widthFraction must be in (0, 1], got " + f);
        }
        ComputationGraphConfiguration c = conf.clone();
        if (f == 1) {
            return c;
        }
        for (Map.Entry<String, GraphVertex> e : c.getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex)) {
                continue;
            }
            LayerVertex lv = (LayerVertex) e.getValue();
            if (lv.getPreProcessor() instanceof CnnToFeedForwardPreProcessor) {
                CnnToFeedForwardPreProcessor p = (CnnToFeedForwardPreProcessor) lv.getPreProcessor();
                p.setNumChannels(Math.max(1, Math.round(p.getNumChannels() * f)));
            }
            Layer l = lv.getLayerConf().getLayer();
            if (!(l instanceof FeedForwardLayer)) {
                continue;
            }
            FeedForwardLayer ff = (FeedForwardLayer) l;
            boolean first = c.getVertexInputs().get(e.getKey()).stream().anyMatch(c.getNetworkInputs()::contains);
            if (!first) {
                ff.setNIn(Math.max(1, Math.round(ff.getNIn() * f)));
            }
            if (!(l instanceof OutputLayer)) {
                ff.setNOut(Math.max(1, Math.round(ff.getNOut() * f)));
            }
        }
        return c;
    }

    private static List<FeatureMap> shapes(ComputationGraph g, Options o, List<String> vertices) {
        Map<String, InputType> types = g.getConfiguration()
                .getLayerActivationTypes(InputType.convolutional(o.height, o.width, o.channels));
        List<FeatureMap> out = new ArrayList<>();
        for (String v : vertices) {
            InputType t = types.get(v);
            if (t instanceof InputType.InputTypeConvolutional) {
                InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) t;
                out.add(FeatureMap.image(v, (int) c.getChannels(), (int) c.getHeight(), (int) c.getWidth()));
            } else {
                out.add(FeatureMap.vector(v, (int) t.arrayElementsPerExample()));
            }
        }
        return out;
    }

    /** Settings shared by all backbones; fluent, mutable. */
    public static final class Options {
        String inputName = "L";
        int channels = 1;
        int height = 64;
        int width = 64;
        long seed = 12345;
        double widthFraction = 1.0;
        PretrainedWeights pretrained;
        PretrainedType pretrainedType = PretrainedType.IMAGENET;
        ZooModel<?> zooModel;
        FineTuneConfiguration fineTune;
        boolean frozen;
        double pretrainedInputScale = 255.0;
        double[] pretrainedChannelMeans = IMAGENET_MEAN_RGB.clone();

        /** Input name, channels and size (default {@code L}, 1 x 64 x 64). */
        public Options input(String name, int channels, int height, int width) {
            this.inputName = name;
            this.channels = channels;
            this.height = height;
            this.width = width;
            return this;
        }

        public Options seed(long seed) { this.seed = seed; return this; }

        /** Random init only: all widths times {@code f} (VGG16; e.g. 0.25 for a CPU-sized backbone). */
        public Options widthFraction(double f) { this.widthFraction = f; return this; }

        /** Load pretrained weights (through {@link PretrainedWeights}); default type IMAGENET. */
        public Options pretrained(PretrainedWeights weights) { this.pretrained = weights; return this; }

        public Options pretrainedType(PretrainedType type) { this.pretrainedType = type; return this; }

        /**
         * The zoo model instance to load pretrained weights from (default: the stock VGG16 / ResNet50); tests pass
         * a subclass with a local {@code pretrainedUrl}.
         */
        public Options zooModel(ZooModel<?> model) { this.zooModel = model; return this; }

        /** Updater, regularisation and seed for all backbone layers (DL4J transfer-learning fine-tune config). */
        public Options fineTune(FineTuneConfiguration ft) { this.fineTune = ft; return this; }

        /** Freeze the whole backbone (DL4J FrozenLayer: no updates, batch norm in inference mode). */
        public Options frozen(boolean frozen) { this.frozen = frozen; return this; }

        /** Pretrained first-conv folding: input value times this is the network's 0..255 grey level. */
        public Options pretrainedInputScale(double scale) { this.pretrainedInputScale = scale; return this; }

        /** Pretrained first-conv folding: the per-channel means the pretrained network expects subtracted. */
        public Options pretrainedChannelMeans(double r, double g, double b) {
            this.pretrainedChannelMeans = new double[]{r, g, b};
            return this;
        }
    }
}
