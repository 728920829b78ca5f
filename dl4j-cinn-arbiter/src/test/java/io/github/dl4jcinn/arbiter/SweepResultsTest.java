package io.github.dl4jcinn.arbiter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Persistence of sweep results: CSV quoting, JSON with NaN, reload in a new process. */
class SweepResultsTest {

    @Test
    void csvQuotesCommasAndQuotesAndParsesBack() {
        List<List<String>> rows = SweepResults.parse("a,b,c\n" + SweepResults.quote("x, \"y\"") + ",,z\n");
        assertThat(rows.get(1)).containsExactly("x, \"y\"", "", "z");
    }

    @Test
    void recordedCandidatesSurviveANewProcessIncludingCurvesAndFailures(@TempDir Path dir) {
        SweepResults s = SweepResults.forDirectory(dir);
        CandidateResult ok = result(0, CandidateResult.Status.COMPLETED, 1.25, "");
        ok.validationIterations.addAll(List.of(0, 10));
        ok.validationBitsPerDim.addAll(List.of(8.0, 1.25));
        CandidateResult bad = result(1, CandidateResult.Status.FAILED, Double.NaN, "diverged at iteration 3: loss NaN");
        bad.trainIterations.add(1);
        bad.trainBitsPerDim.add(Double.NaN);
        s.record(ok);
        s.record(bad);
        SweepResults.close(dir);

        SweepResults again = SweepResults.forDirectory(dir);
        assertThat(again).isNotSameAs(s);
        List<CandidateResult> all = again.all();
        assertThat(all).hasSize(2);
        assertThat(all.get(0).score).isEqualTo(1.25);
        assertThat(all.get(0).validationBitsPerDim).containsExactly(8.0, 1.25);
        assertThat(all.get(0).config.getName()).isEqualTo("c0");
        assertThat(all.get(1).completed()).isFalse();
        assertThat(all.get(1).score).isNaN();
        assertThat(all.get(1).reason).isEqualTo("diverged at iteration 3: loss NaN");
        assertThat(again.find(bad.key)).isPresent();
        SweepResults.close(dir);
    }

    @Test
    void spikeMeasuresRisesAboveTheRunningMinimum() {
        assertThat(CinnTaskCreator.maxSpike(List.of(9.0, 8.0, 7.0, 6.0, 5.0))).isZero();
        assertThat(CinnTaskCreator.maxSpike(List.of(9.0, 8.0, 7.0, 7.5, 6.0, 8.5, 5.0))).isEqualTo(2.5);
    }

    private static CandidateResult result(int index, CandidateResult.Status status, double score, String reason) {
        CandidateResult r = new CandidateResult();
        r.index = index;
        r.name = "c" + index;
        r.key = index + "-k";
        r.status = status;
        r.score = score;
        r.reason = reason;
        r.config = new CinnCandidateConfig();
        r.config.setName("c" + index);
        return r;
    }
}
