package io.github.dl4jcinn.zoo.color;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ColorizationCinnTest {

    static MultiDataSet batch(ColorizationCinn.Config c, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray l = Nd4j.rand(n, 1, c.lSize, c.lSize);
        INDArray ab = Nd4j.randn(n, 2, c.abSize, c.abSize).muli(0.5);
        return new MultiDataSet(new INDArray[]{l, ab}, new INDArray[]{Nd4j.zeros(n, 1)});
    }

    @Test
    void tinyModelInvertsExactlyAfterSomeTraining() {
        ColorizationCinn.Config c = ColorizationCinn.tiny();
        ComputationGraph g = ColorizationCinn.init(c);
        assertThat(g.getConfiguration().getNetworkInputs()).containsExactly("L", "ab");
        for (int i = 0; i < 3; i++) {
            g.fit(batch(c, 4, i));
        }
        assertThat(g.score()).isFinite();

        MultiDataSet b = batch(c, 3, 99);
        CinnInverse inv = CinnInverse.of(g);
        assertThat(inv.latentSize()).isEqualTo(2L * 16 * 16);
        INDArray flow = inv.encode(Map.of("L", b.getFeatures(0), "ab", b.getFeatures(1)));
        INDArray z = flow.get(NDArrayIndex.all(), NDArrayIndex.interval(0, inv.latentSize()));
        CinnInverse.Decoded d = inv.decode(z, Map.of("L", b.getFeatures(0)));
        assertThat(d.x().sub(b.getFeatures(1)).amaxNumber().doubleValue()).isLessThan(1e-4);
        // log|det J_g(z)| = -log|det J_f(x)|
        INDArray logDetF = flow.get(NDArrayIndex.all(), NDArrayIndex.point(inv.latentSize()));
        assertThat(d.logDet().reshape(3).add(logDetF.reshape(3)).amaxNumber().doubleValue()).isLessThan(1e-2);
    }

    @Test
    void everyConditioningScheduleBuildsAndTrains() {
        for (String s : new String[]{"joint:2", "fixed", "none"}) {
            ColorizationCinn.Config c = ColorizationCinn.tiny().conditioning(s);
            ComputationGraph g = ColorizationCinn.init(c);
            g.fit(batch(c, 2, 1));
            assertThat(g.score()).as(s).isFinite();
        }
    }

    @Test
    void resNetBackboneCanReplaceVgg() {
        ColorizationCinn.Config c = ColorizationCinn.tiny().backbone("resnet50:stem");
        ComputationGraph g = ColorizationCinn.init(c);
        assertThat(g.getConfiguration().getVertices()).containsKey("stem-cnn1").doesNotContainKey("8");
        g.fit(batch(c, 2, 1));
        assertThat(g.score()).isFinite();
    }

    @Test
    void colorizerSamplesEncodesAndRoundTripsThroughTheModelZip(@TempDir Path dir) throws Exception {
        ColorizationCinn.Config c = ColorizationCinn.tiny().dataStatistics(new double[]{2, 5}, new double[]{10, 20});
        ComputationGraph g = ColorizationCinn.init(c);
        g.fit(batch(c, 4, 1));
        Path zip = dir.resolve("m.zip");
        ColorModelFiles.save(g, c, ColorModelFiles.Kind.CINN, zip);
        ColorModelFiles.ColorModel m = ColorModelFiles.load(zip);
        assertThat(m.kind()).isEqualTo(ColorModelFiles.Kind.CINN);
        assertThat(m.config().abStd).containsExactly(10, 20);
        assertThat(m.graph().params()).isEqualTo(g.params());

        Colorizer col = Colorizer.of(m);
        INDArray l = batch(c, 2, 5).getFeatures(0);
        INDArray[] samples = col.sample(l, 3, 1.0, 7);
        assertThat(samples).hasSize(3);
        assertThat(samples[0].shape()).containsExactly(2, 2, 16, 16);
        assertThat(samples[0].equals(samples[1])).as("samples differ").isFalse();
        // encode a colour "image" and decode it back under the same L: colour transfer's identity case
        INDArray ab = samples[2];
        INDArray z = col.encode(l, ab);
        assertThat(col.decode(z, l).sub(ab).amaxNumber().doubleValue()).isLessThan(1e-3);
    }

    @Test
    void fullPresetBuildsWithTheSupplementsArchitecture() {
        ColorizationCinn.Config c = ColorizationCinn.full();
        ComputationGraph g = ColorizationCinn.init(c);
        assertThat(g.getConfiguration().getNetworkInputs()).containsExactly("L", "ab");
        assertThat(CinnInverse.of(g).latentSize()).isEqualTo(2L * 64 * 64);
        // 4 + 6 + 6 + 6 conditional conv blocks, 8 FC blocks, 8 unconditional blocks
        long ccb = g.getConfiguration().getVertices().keySet().stream().filter(v -> v.matches("l[1-4]-cc\\d+")).count();
        long fc = g.getConfiguration().getVertices().keySet().stream().filter(v -> v.matches("l5-cc\\d+")).count();
        long uc = g.getConfiguration().getVertices().keySet().stream().filter(v -> v.matches("l[1-4]-uc\\d+")).count();
        assertThat(ccb).isEqualTo(22);
        assertThat(fc).isEqualTo(8);
        assertThat(uc).isEqualTo(8);
        // params(), not numParams(): DL4J M2.1's numParams() counts layers only, not SameDiff vertices
        assertThat(g.params().length()).isEqualTo(expectedFullParameters());
    }

    /** Parameter count of the full preset, from the supplement's layer list (independent of the builder code). */
    static long expectedFullParameters() {
        long backbone = conv(1, 64) + conv(64, 64) + conv(64, 128) + conv(128, 128) + conv(128, 256)
                + conv(256, 256) + conv(256, 256);
        int[] blocks = {4, 6, 6, 6};
        int[] channels = {2, 8, 16, 32};
        int[] hidden = {32, 64, 128, 256};
        int[] uncondHidden = {64, 128, 256, 256};
        int[] head = {32, 64, 128, 256};
        int[][] strided = {{}, {128}, {128, 128}, {128, 128, 256}};
        long flow = 0;
        long heads = 0;
        for (int l = 0; l < 4; l++) {
            int c = channels[l];
            int half = c / 2;
            long subnet = conv3(half + head[l], hidden[l]) + conv3(hidden[l], hidden[l]) + conv3(hidden[l], 2 * half);
            flow += blocks[l] * 2 * subnet;
            int u = 4 * c / 2;
            long usub = conv1(u, uncondHidden[l]) + conv1(uncondHidden[l], uncondHidden[l]) + conv1(uncondHidden[l], 2 * u);
            flow += 2 * 2 * usub;
            long h = 0;
            int in = 256;
            for (int w : strided[l]) {
                h += conv(in, w);
                in = w;
            }
            h += conv(in, head[l]) + 4L * head[l];   // conv + batch norm (gamma, beta, mean, var)
            heads += blocks[l] * h;
        }
        long fcSubnet = dense(256 + 512, 512) + dense(512, 512) + dense(512, 512) + dense(512, 512);
        flow += 8 * 2 * fcSubnet;
        heads += conv(256, 128) + conv(128, 256) + conv(256, 256) + conv(256, 512) + 4L * 512;
        return backbone + heads + flow + 1;   // + the loss layer's one-element marker
    }

    private static long conv(int in, int out) {
        return conv3(in, out);
    }

    private static long conv3(int in, int out) {
        return (long) in * out * 9 + out;
    }

    private static long conv1(int in, int out) {
        return (long) in * out + out;
    }

    private static long dense(int in, int out) {
        return (long) in * out + out;
    }
}
