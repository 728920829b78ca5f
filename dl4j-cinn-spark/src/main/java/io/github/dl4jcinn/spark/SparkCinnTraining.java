package io.github.dl4jcinn.spark;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.ActNorm;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a class-conditional cINN with DL4J on Spark: {@link SparkComputationGraph} with a
 * {@link ParameterAveragingTrainingMaster}. The trained network is a plain DL4J {@link ComputationGraph}: save it
 * with {@link ModelSerializer}, restore it anywhere, and sample with {@link CinnInverse}.
 *
 * <p>Entry point for {@code spark-submit} (see README-scaleout.md):
 * <pre>
 * spark-submit --class io.github.dl4jcinn.spark.SparkCinnTraining dl4j-cinn-spark-...-spark.jar \
 *     --examples 65536 --batch 64 --epochs 10 --averaging-frequency 4 --out /shared/cinn-spark.zip
 * </pre>
 * Without a master (plain {@code java -cp ...}) it runs in local mode on {@code local[2]}.
 *
 * <p>Why parameter averaging: every averaging round the driver broadcasts parameters and Adam state, each executor
 * fits {@code averagingFrequency} minibatches per worker, and the results are averaged exactly (tree aggregation).
 * It needs nothing but Spark itself. DL4J's other master ({@code SharedTrainingMaster}, threshold-encoded gradient
 * sharing over its own UDP transport) needs open ports between all executors and driver, and its update encoding
 * trained far more slowly than averaging in our single-machine measurements (README-scaleout.md).
 */
public final class SparkCinnTraining {

    private static final Logger LOG = LoggerFactory.getLogger(SparkCinnTraining.class);

    private SparkCinnTraining() {}

    /** Size and optimiser of the example cINN. */
    public static final class Options {
        public int dims = 8;
        public int classes = 4;
        public int blocks = 4;
        public int hidden = 64;
        public double learningRate = 3e-3;
        public long seed = 1;
        /** Every n-th coupling trains on the SameDiff runtime instead of the eager kernel (0: none). */
        public int sameDiffEvery = 0;
    }

    /**
     * {@code x (D) -> ActNorm -> blocks x { conditional affine coupling (FC subnet, hidden units), permutation }},
     * conditioned on a one-hot class; inputs {@code x}, {@code c}; loss {@code nll}.
     */
    public static ComputationGraphConfiguration graph(Options o) {
        CinnGraphBuilder b = CinnGraphBuilder.create(new NeuralNetConfiguration.Builder().seed(o.seed)
                        .dataType(DataType.FLOAT).updater(new Adam(o.learningRate)))
                .flowInput("x", FlowShape.vector(o.dims))
                .conditionInput("c", InputType.feedForward(o.classes))
                .add("an0", new ActNorm());
        for (int i = 1; i <= o.blocks; i++) {
            AffineCoupling.Builder cc = AffineCoupling.builder().subnet(Subnet.fullyConnected(o.hidden))
                    .vectorCondition(o.classes);
            if (o.sameDiffEvery > 0 && i % o.sameDiffEvery == 0) {
                cc.implementation(AffineCoupling.Implementation.SAMEDIFF);
            }
            b.add("cc" + i, cc.build(), "c");
            b.add("perm" + i, new FixedPermutation(o.seed * 1000 + i));
        }
        return b.build("nll");
    }

    /**
     * Spark settings the example needs on top of what {@code spark-submit} passes: Kryo with ND4J's registrator
     * (DL4J's recommendation: INDArrays serialise compactly) and, when no master is set, {@code local[2]}.
     */
    public static SparkConf sparkConf(String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        conf.setIfMissing("spark.master", "local[2]");
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        return conf;
    }

    /**
     * A parameter-averaging master for RDD elements that are minibatches of {@code batchSize} examples: each worker
     * fits {@code averagingFrequency} minibatches between two averaging rounds; parameters and updater (Adam) state
     * are both averaged. Data goes to the executors directly (no export to files). It is DL4J's master with the
     * iteration counts kept (see {@link CountKeepingTrainingMaster}).
     */
    public static ParameterAveragingTrainingMaster trainingMaster(int batchSize, int averagingFrequency) {
        return new CountKeepingTrainingMaster(new ParameterAveragingTrainingMaster.Builder(batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(averagingFrequency)
                .saveUpdater(true)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct));
    }

    /** Trains for {@code epochs} passes; returns the loss on {@code heldOut} before training and after each epoch. */
    public static List<Double> fit(SparkComputationGraph net, JavaRDD<MultiDataSet> data, int epochs,
                                   MultiDataSet heldOut) {
        checkSerializer(net.getSparkContext().getConf(), net.getNetwork().getConfiguration());
        List<Double> losses = new ArrayList<>();
        losses.add(net.getNetwork().score(heldOut));
        LOG.info(String.format(Locale.ROOT, "before training: held-out loss %.4f nats/dim", losses.get(0)));
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            net.fitMultiDataSet(data);
            double loss = net.getNetwork().score(heldOut);
            losses.add(loss);
            LOG.info(String.format(Locale.ROOT, "epoch %d: held-out loss %.4f nats/dim, last averaged training "
                    + "score %.4f, %.1f s", e + 1, loss, net.getScore(), (System.nanoTime() - t0) / 1e9));
        }
        return losses;
    }

    /**
     * The training master broadcasts the graph configuration with Spark's serializer. Spark's default Java
     * serialization fails on configurations whose objects are not {@link Serializable} (dl4j-cinn-layers'
     * {@code Subnet} is not: "NotSerializableException: io.github.dl4jcinn.layers.blocks.Subnet"); Kryo, which
     * {@link #sparkConf} selects, has no such requirement. Fails early with that explanation instead of inside the
     * first broadcast.
     */
    static void checkSerializer(SparkConf conf, ComputationGraphConfiguration graph) {
        String serializer = conf.get("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        if (!serializer.endsWith("JavaSerializer")) {
            return;
        }
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(graph);
        } catch (NotSerializableException e) {
            throw new IllegalStateException("spark.serializer is Java serialization, and this graph configuration is "
                    + "not java.io.Serializable (" + e.getMessage() + "). Set spark.serializer="
                    + "org.apache.spark.serializer.KryoSerializer and spark.kryo.registrator="
                    + "org.nd4j.kryo.Nd4jRegistrator (SparkCinnTraining.sparkConf does).", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = parse(args);
        Options o = new Options();
        o.dims = Integer.parseInt(a.getOrDefault("dims", "8"));
        o.classes = Integer.parseInt(a.getOrDefault("classes", "4"));
        o.blocks = Integer.parseInt(a.getOrDefault("blocks", "4"));
        o.hidden = Integer.parseInt(a.getOrDefault("hidden", "64"));
        o.learningRate = Double.parseDouble(a.getOrDefault("lr", "3e-3"));
        o.seed = Long.parseLong(a.getOrDefault("seed", "1"));
        int examples = Integer.parseInt(a.getOrDefault("examples", "8192"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "64"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "5"));
        int averaging = Integer.parseInt(a.getOrDefault("averaging-frequency", "4"));
        File out = new File(a.getOrDefault("out", "cinn-spark.zip"));

        ConditionalGaussians source = new ConditionalGaussians(o.dims, o.classes, 3.0, 0.5);
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf("dl4j-cinn-spark"))) {
            ComputationGraph graph = new ComputationGraph(graph(o));
            graph.init();
            JavaRDD<MultiDataSet> data = sc.parallelize(source.batches(examples, batch, o.seed),
                    Math.max(sc.defaultParallelism(), 1)); // the training master persists it itself
            MultiDataSet heldOut = source.batches(1024, 1024, o.seed + 1).get(0);
            SparkComputationGraph net = new SparkComputationGraph(sc, graph, trainingMaster(batch, averaging));
            List<Double> losses = fit(net, data, epochs, heldOut);
            ModelSerializer.writeModel(net.getNetwork(), out, true);
            LOG.info("held-out loss per epoch {}; model written to {}", losses, out.getAbsolutePath());
            net.getTrainingMaster().deleteTempFiles(sc);
        }

        // The saved model is plain DL4J: restore and sample without Spark.
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(out, false);
        CinnInverse inverse = CinnInverse.of(restored);
        for (int k = 0; k < o.classes; k++) {
            INDArray x = inverse.sample(256, 1.0, Map.of("c", source.oneHot(256, k)), 42 + k);
            INDArray mean = x.mean(0);
            LOG.info("class {}: sample mean {}", k, mean);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --name value pairs, got " + String.join(" ", args));
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
