package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.layers.testing.FlowCase;
import io.github.dl4jcinn.layers.testing.FlowCases;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static io.github.dl4jcinn.layers.testing.FlowTestGraphs.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactness suite: every block configuration of {@link FlowCases} goes through the same checks, at minibatch 1
 * and 5. Tolerances are chosen so that a wrong Jacobian term, a missing log-det contribution or a scaled gradient
 * fails them by orders of magnitude.
 */
class FlowBlockSuiteTest {

    /** Measured errors per case, written to target/exactness-report.txt after the run (for reports, not asserts). */
    private static final java.util.Map<String, double[]> MEASURED = new java.util.concurrent.ConcurrentSkipListMap<>();

    @org.junit.jupiter.api.AfterAll
    static void writeReport() throws Exception {
        StringBuilder sb = new StringBuilder(String.format("%-48s %14s %14s%n", "case", "roundtrip f32", "logdet vs FD"));
        MEASURED.forEach((k, v) -> sb.append(String.format("%-48s %14.3g %14.3g%n", k, v[0], v[1])));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/exactness-report.txt"), sb.toString());
        System.out.print(sb);
    }

    private static void record(FlowCase fc, int n, int slot, double value) {
        MEASURED.computeIfAbsent(fc + " n=" + n, k -> new double[]{Double.NaN, Double.NaN})[slot] = value;
    }

    @BeforeEach
    void doublePrecisionContext() {
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
    }

    static Stream<Arguments> cases() {
        return FlowCases.all().stream().flatMap(c -> Stream.of(Arguments.of(c, 1), Arguments.of(c, 5)));
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void inverseRoundTripFloat32(FlowCase fc, int n) {
        ComputationGraph g = graph(fc, options().dataType(DataType.FLOAT));
        Map<String, INDArray> in = inputs(fc, n, DataType.FLOAT);
        CinnInverse inv = CinnInverse.of(g);
        INDArray encoded = inv.encode(in);
        CinnInverse.Decoded d = inv.decode(latent(encoded), conditions(in));

        assertThat(d.x().shape()).isEqualTo(in.get("x").shape());
        double error = d.x().sub(in.get("x")).amaxNumber().doubleValue();
        record(fc, n, 0, error);
        assertThat(error).isLessThanOrEqualTo(1e-5);
        // the inverse carries -log|det J_f| back to the input
        INDArray sum = d.logDet().reshape(n).add(logDetColumn(encoded).reshape(n));
        assertThat(sum.amaxNumber().doubleValue()).isLessThanOrEqualTo(1e-4);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void logDetMatchesFiniteDifferenceJacobian(FlowCase fc, int n) {
        ComputationGraph g = graph(fc, options());
        Map<String, INDArray> in = inputs(fc, n, DataType.DOUBLE);
        CinnInverse inv = CinnInverse.of(g);
        INDArray carried = logDetColumn(inv.encode(in));
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double numerical = numericalLogDet(inv, in, i, 1e-5);
            worst = Math.max(worst, Math.abs(carried.getDouble(i) - numerical));
            record(fc, n, 1, worst);
            assertThat(carried.getDouble(i)).as("example %d", i).isCloseTo(numerical,
                    org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void gradientCheckWithConditionFromOrdinaryLayer(FlowCase fc, int n) {
        // the leading ActNorm's parameters see the block's input gradient, the layer's see its condition gradient
        ComputationGraph g = graph(fc, options().conditionThroughLayer(true).leadingActNorm(true));
        Map<String, INDArray> in = inputs(fc, n, DataType.DOUBLE);
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(orderedInputs(g, in)).labels(new INDArray[]{dummyLabels(n, DataType.DOUBLE)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(24)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertThat(ok).as("gradient check of %s", fc).isTrue();
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void jsonRoundTripGivesIdenticalOutputs(FlowCase fc, int n) {
        ComputationGraph g = graph(fc, options());
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
        assertThat(restored).isEqualTo(g.getConfiguration());
        assertThat(restored.toJson()).isEqualTo(g.getConfiguration().toJson());
        ComputationGraph copy = new ComputationGraph(restored);
        copy.init(g.params().dup(), false);
        Map<String, INDArray> in = inputs(fc, n, DataType.DOUBLE);
        assertThat(CinnInverse.of(copy).encode(in)).isEqualTo(CinnInverse.of(g).encode(in));
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void configurationSurvivesJavaSerialization(FlowCase fc, int n) throws Exception {
        // Spark broadcasts configurations with Java serialization unless Kryo is configured
        ComputationGraphConfiguration conf = configuration(fc, options());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(((ComputationGraphConfiguration) in.readObject()).toJson()).isEqualTo(conf.toJson());
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void modelSerializerRoundTripGivesIdenticalOutputsAndInverse(FlowCase fc, int n, @TempDir Path dir)
            throws Exception {
        ComputationGraph g = graph(fc, options());
        File f = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(f, true);
        Map<String, INDArray> in = inputs(fc, n, DataType.DOUBLE);
        INDArray encoded = CinnInverse.of(g).encode(in);
        assertThat(CinnInverse.of(restored).encode(in)).isEqualTo(encoded);
        INDArray z = Nd4j.randn(DataType.DOUBLE, n, encoded.size(1) - 1);
        assertThat(CinnInverse.of(restored).decode(z, conditions(in)).x())
                .isEqualTo(CinnInverse.of(g).decode(z, conditions(in)).x());
    }
}
