package io.github.dl4jcinn.layers.testing;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.FixedMatrices;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.layers.loss.MaxLikelihoodLoss;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.HashMap;
import java.util.Map;

/** Builds small graphs from {@link FlowCase}s and measures them: shared by every generic test. */
public final class FlowTestGraphs {
    private FlowTestGraphs() {}

    /** Options of a test graph. */
    public static final class Options {
        DataType dataType = DataType.DOUBLE;
        boolean conditionThroughLayer;
        WorkspaceMode workspaces = WorkspaceMode.ENABLED;
        IUpdater updater = new NoOp();
        double perturbation = 0.1;
        boolean leadingActNorm;

        public Options dataType(DataType d) { dataType = d; return this; }
        public Options conditionThroughLayer(boolean b) { conditionThroughLayer = b; return this; }
        public Options workspaces(WorkspaceMode w) { workspaces = w; return this; }
        public Options updater(IUpdater u) { updater = u; return this; }
        public Options perturbation(double p) { perturbation = p; return this; }
        /** Puts a parametrised ActNorm first, so gradient checks also cover the input gradient of every block. */
        public Options leadingActNorm(boolean b) { leadingActNorm = b; return this; }
    }

    public static Options options() {
        return new Options();
    }

    public static ComputationGraphConfiguration configuration(FlowCase fc, Options o) {
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder().seed(42).dataType(o.dataType)
                .updater(o.updater).trainingWorkspaceMode(o.workspaces).inferenceWorkspaceMode(o.workspaces);
        CinnGraphBuilder b = CinnGraphBuilder.create(global).flowInput("x", fc.shape);
        String cond = null;
        if (fc.condition != null) {
            b.conditionInput("c", inputType(fc.condition));
            cond = "c";
            if (o.conditionThroughLayer) {
                cond = "h";
                if (fc.condition.isImage()) {
                    b.graph().addLayer("h", new ConvolutionLayer.Builder(1, 1).nOut(fc.condition.channels())
                            .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "c");
                } else {
                    b.graph().addLayer("h", new DenseLayer.Builder().nOut(fc.condition.size())
                            .activation(Activation.TANH).build(), "c");
                }
            }
        }
        if (o.leadingActNorm) {
            b.add("lead", new io.github.dl4jcinn.layers.blocks.ActNorm());
        }
        fc.body.accept(b, cond);
        return b.build("nll");
    }

    public static ComputationGraph graph(FlowCase fc, Options o) {
        ComputationGraph g = new ComputationGraph(configuration(fc, o));
        g.init();
        perturb(g, o.perturbation, 1234);
        return g;
    }

    /** Moves every flow parameter away from its identity initialisation, so the tests see non-trivial maps. */
    public static void perturb(ComputationGraph g, double scale, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (GraphVertex v : g.getVertices()) {
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof MaxLikelihoodLoss) {
                continue;
            }
            for (INDArray p : v.paramTable(false).values()) {
                p.addi(Nd4j.randn(p.dataType(), p.shape()).muli(scale));
            }
        }
    }

    public static InputType inputType(FlowShape s) {
        return s.isImage() ? InputType.convolutional(s.height(), s.width(), s.channels()) : InputType.feedForward(s.size());
    }

    public static INDArray randomBatch(FlowShape s, int n, DataType dt, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return s.isImage() ? Nd4j.randn(dt, n, s.channels(), s.height(), s.width()) : Nd4j.randn(dt, n, s.size());
    }

    /** Graph inputs for a case: data x and, if the case has one, condition c. */
    public static Map<String, INDArray> inputs(FlowCase fc, int n, DataType dt) {
        Map<String, INDArray> in = new HashMap<>();
        in.put("x", randomBatch(fc.shape, n, dt, 11));
        if (fc.condition != null) {
            in.put("c", randomBatch(fc.condition, n, dt, 12));
        }
        return in;
    }

    public static Map<String, INDArray> conditions(Map<String, INDArray> inputs) {
        Map<String, INDArray> c = new HashMap<>(inputs);
        c.remove("x");
        return c;
    }

    public static INDArray[] orderedInputs(ComputationGraph g, Map<String, INDArray> inputs) {
        return g.getConfiguration().getNetworkInputs().stream().map(inputs::get).toArray(INDArray[]::new);
    }

    public static INDArray dummyLabels(int n, DataType dt) {
        return Nd4j.zeros(dt, n, 1);
    }

    /** Latent part of an encoded flow tensor. */
    public static INDArray latent(INDArray encoded) {
        return encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, encoded.size(1) - 1)).dup();
    }

    public static INDArray logDetColumn(INDArray encoded) {
        return encoded.get(NDArrayIndex.all(), NDArrayIndex.point(encoded.size(1) - 1)).dup();
    }

    /**
     * log|det ∂f/∂x| of example {@code i}, from a central-difference Jacobian of the whole graph (double precision):
     * all 2D perturbed copies run as one batch, conditions repeated.
     */
    public static double numericalLogDet(CinnInverse inv, Map<String, INDArray> inputs, int i, double eps) {
        INDArray x = inputs.get("x");
        int d = (int) (x.length() / x.size(0));
        INDArray xi = x.reshape(x.size(0), d).getRow(i).dup();
        INDArray batch = Nd4j.create(DataType.DOUBLE, 2L * d, d);
        for (int j = 0; j < d; j++) {
            INDArray plus = xi.dup(); plus.putScalar(j, plus.getDouble(j) + eps);
            INDArray minus = xi.dup(); minus.putScalar(j, minus.getDouble(j) - eps);
            batch.putRow(2L * j, plus);
            batch.putRow(2L * j + 1, minus);
        }
        Map<String, INDArray> perturbed = new HashMap<>();
        long[] xShape = x.shape().clone();
        xShape[0] = 2L * d;
        perturbed.put("x", batch.reshape(xShape));
        for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
            if (!e.getKey().equals("x")) {
                INDArray row = e.getValue().get(NDArrayIndex.interval(i, i + 1));
                perturbed.put(e.getKey(), row.repeat(0, 2L * d).reshape(concatShape(2L * d, row.shape())));
            }
        }
        INDArray z = latent(inv.encode(perturbed));
        double[][] jac = new double[(int) z.size(1)][d];
        for (int j = 0; j < d; j++) {
            INDArray diff = z.getRow(2L * j).sub(z.getRow(2L * j + 1)).divi(2 * eps);
            for (int r = 0; r < jac.length; r++) jac[r][j] = diff.getDouble(r);
        }
        return FixedMatrices.logAbsDet(jac);
    }

    private static long[] concatShape(long n, long[] rowShape) {
        long[] s = rowShape.clone();
        s[0] = n;
        return s;
    }
}
