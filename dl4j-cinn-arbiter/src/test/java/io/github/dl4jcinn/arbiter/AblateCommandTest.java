package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Architecture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line of {@code cinn ablate}, without training. */
class AblateCommandTest {

    private static String[] run(int expectedCode, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = AblateCommand.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        String out = o.toString(StandardCharsets.UTF_8);
        String err = e.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out + err).isEqualTo(expectedCode);
        return new String[]{out, err};
    }

    @Test
    void helpListsPresetsAndOptions() {
        String out = run(0, "--help")[0];
        assertThat(out).contains("--preset", "paper-fig10", "conditioning", "lr-depth", "--budget", "--out", "--ui",
                "results.csv", "curves.png", "report.md", "--restart");
    }

    @Test
    void badCommandLinesExitWithTwoAndSayWhy() {
        assertThat(run(2, "--bogus")[1]).contains("unknown option --bogus");
        assertThat(run(2, "--preset", "nope")[1]).contains("unknown preset 'nope'");
        assertThat(run(2, "--budget", "soon")[1]).contains("--budget");
        assertThat(run(2, "--blocks", "0")[1]).contains("--blocks");
        assertThat(run(2, "--out")[1]).contains("--out needs a value");
    }

    @Test
    void dryRunListsTheFig10CandidatesAndTheSpaceJson() {
        String out = run(0, "--preset", "paper-fig10", "--dry-run")[0];
        assertThat(out).contains("6 candidate(s)", "full model", "no clamping", "no Haar (checkerboard)", "no noise",
                "no permutations", "no special init", "\"@class\" : \"io.github.dl4jcinn.arbiter.CinnParameterSpace\"");
        String fc = run(0, "--preset", "fig10", "--architecture", "fc", "--dry-run")[0];
        assertThat(fc).contains("5 candidate(s)").doesNotContain("no Haar");
        assertThat(run(0, "--preset", "lr-depth", "--dry-run")[0]).contains("9 candidate(s)", "lr=1e-4 blocks=4");
        assertThat(run(0, "--preset", "random", "--candidates", "4", "--dry-run")[0]).contains("4 candidate(s)");
        assertThat(run(0, "--preset", "conditioning", "--dry-run")[0]).contains("c.n. none", "c.n. fixed",
                "c.n. joint");
    }

    @Test
    void modelOptionsChangeTheBaseConfiguration() {
        AblationSweep.Options o = AblateCommand.options(AblateCommand.parse(new String[]{"--preset", "paper-fig10",
                "--architecture", "fc", "--fc-width", "64", "--depth", "2", "--lr", "3e-4", "--batch", "32",
                "--budget", "1h30m", "--iterations", "500", "--restart"}));
        assertThat(o.base.getArchitecture()).isEqualTo(Architecture.FC);
        assertThat(o.base.getBlocks()).isEqualTo(8);
        assertThat(o.base.getFcWidth()).isEqualTo(64);
        assertThat(o.base.getSubnetDepth()).isEqualTo(2);
        assertThat(o.base.getLearningRate()).isEqualTo(3e-4);
        assertThat(o.base.getBatchSize()).isEqualTo(32);
        assertThat(o.budget).isEqualTo(Duration.ofMinutes(90));
        assertThat(o.iterations).isEqualTo(500);
        assertThat(o.resume).isFalse();
    }

    @Test
    void budgetsReadLikeDurations() {
        assertThat(AblateCommand.duration("20m")).isEqualTo(Duration.ofMinutes(20));
        assertThat(AblateCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(AblateCommand.duration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(AblateCommand.duration("45")).isEqualTo(Duration.ofMinutes(45));
        for (String bad : List.of("", "m", "10x", "-5m", "1h 2m")) {
            assertThatThrownBy(() -> AblateCommand.duration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
