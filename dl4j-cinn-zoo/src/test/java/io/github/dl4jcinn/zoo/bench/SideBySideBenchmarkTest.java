package io.github.dl4jcinn.zoo.bench;

import io.github.dl4jcinn.zoo.models.MnistCinn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SideBySideBenchmarkTest {

    private static final MnistCinn TINY = MnistCinn.tiny().blocks(2).hidden(16, 16).build();

    private static SideBySideBenchmark.Settings small() {
        SideBySideBenchmark.Settings s = new SideBySideBenchmark.Settings();
        s.batch = 8;
        s.warmup = 1;
        s.steps = 3;
        s.sampleN = 10;
        s.sampleRepeats = 2;
        s.rounds = 3;
        s.threads = 1;
        return s;
    }

    @Test
    @SuppressWarnings("unchecked")
    void alternatesTheSidesAndPoolsEveryTimedStepIntoMediansAndRatios() {
        List<String> calls = new ArrayList<>();
        // a reference that takes 2 s per training step and 0.5 s per sampling call, 1000 MiB
        SideBySideBenchmark.Reference fake = (threads, batch, blocks, hidden, depth, warmup, steps, sampleN, repeats,
                                              progress) -> {
            calls.add(blocks + "x" + hidden + "x" + depth + " batch " + batch + " steps " + steps + " threads "
                    + threads);
            return new TorchReference.Round(new double[]{2, 2, 2}, new double[]{0.5, 0.5}, 1000, 42, "fake");
        };
        List<String> log = new ArrayList<>();
        Map<String, Object> r = SideBySideBenchmark.run(TINY, small(), fake, log::add);

        assertThat(calls).hasSize(3).allMatch(c -> c.equals("2x16x2 batch 8 steps 3 threads 1"));
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) r.get("perRound");
        assertThat(rounds).extracting(m -> m.get("order"))
                .containsExactly("dl4j, pytorch", "pytorch, dl4j", "dl4j, pytorch");
        Map<String, Object> torch = (Map<String, Object>) r.get("pytorch");
        Map<String, Object> dl4j = (Map<String, Object>) r.get("dl4j");
        assertThat((double) torch.get("trainSamplesPerSecondMedian")).isCloseTo(8 / 2.0, within(1e-9));
        assertThat((double) torch.get("samplingSamplesPerSecondMedian")).isCloseTo(10 / 0.5, within(1e-9));
        assertThat(torch.get("timedSteps")).isEqualTo(9);
        assertThat(dl4j.get("timedSteps")).isEqualTo(9);
        assertThat(dl4j.get("timedSamplingCalls")).isEqualTo(6);
        Map<String, Object> ratios = (Map<String, Object>) r.get("ratios");
        double ours = (double) dl4j.get("trainSamplesPerSecondMedian");
        assertThat((double) ratios.get("trainMedian")).isCloseTo(ours / 4.0, within(2e-3 * ours));
        assertThat((double) ratios.get("peakRss")).isCloseTo((double) dl4j.get("peakRssMiB") / 1000, within(1e-3));
        assertThat(log).anyMatch(l -> l.startsWith("round 2/3: PyTorch reference"));
    }

    @Test
    void parsesTheReferenceJsonLine() throws Exception {
        TorchReference.Round r = TorchReference.Round.parse("{\"impl\": \"x\", \"parameters\": 54424320, "
                + "\"trainStepSeconds\": [0.94, 0.87], \"samplingSeconds\": [0.23], \"peakRssMiB\": 1350.1, "
                + "\"threads\": 2, \"torch\": \"1.13.0a0\"}");
        assertThat(r.trainStepSeconds).containsExactly(0.94, 0.87);
        assertThat(r.samplingSeconds).containsExactly(0.23);
        assertThat(r.peakRssMiB).isEqualTo(1350.1);
        assertThat(r.parameters).isEqualTo(54424320L);
    }

    static boolean torchInstalled() {
        return new TorchReference(TorchReference.DEFAULT_PYTHON).availability() == null;
    }

    /** Runs the real reference on a tiny model where Debian's python3-torch is installed (not on CI by default). */
    @Test
    @EnabledIf("torchInstalled")
    @SuppressWarnings("unchecked")
    void runsTheRealPyTorchReferenceSideBySide() {
        SideBySideBenchmark.Settings s = small();
        s.rounds = 2;
        Map<String, Object> r = SideBySideBenchmark.run(TINY, s, new TorchReference(TorchReference.DEFAULT_PYTHON),
                line -> { });
        Map<String, Object> torch = (Map<String, Object>) r.get("pytorch");
        assertThat((double) torch.get("trainSamplesPerSecondMedian")).isPositive();
        assertThat((double) torch.get("peakRssMiB")).isGreaterThan(50);
        assertThat(torch.get("timedSteps")).isEqualTo(6);
        assertThat((double) ((Map<String, Object>) r.get("ratios")).get("samplingMedian")).isPositive();
    }
}
