package io.github.dl4jcinn.arbiter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tiny sweep of CI: {@code cinn ablate --preset smoke} end to end through Arbiter (three candidates on generated
 * data, one built to diverge), then resumed.
 */
class SweepEndToEndTest {

    private static final String[] SMOKE = {"--preset", "smoke", "--iterations", "30", "--validation-subset", "64"};

    private static String[] args(Path out, String... extra) {
        String[] a = new String[SMOKE.length + 2 + extra.length];
        System.arraycopy(SMOKE, 0, a, 0, SMOKE.length);
        a[SMOKE.length] = "--out";
        a[SMOKE.length + 1] = out.toString();
        System.arraycopy(extra, 0, a, SMOKE.length + 2, extra.length);
        return a;
    }

    private static int run(String[] args, StringBuilder output) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = AblateCommand.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        output.append(o.toString(StandardCharsets.UTF_8)).append(e.toString(StandardCharsets.UTF_8));
        return code;
    }

    @Test
    void tinySweepWithADivergingCandidateWritesCsvCurvesAndReportThenResumes(@TempDir Path out) throws Exception {
        StringBuilder log = new StringBuilder();
        assertThat(run(args(out), log)).as(log.toString()).isZero();
        assertThat(log).contains("3 candidate(s): 2 completed, 1 failed, 0 not run");

        // CSV: every candidate with configuration, score, status and time
        List<List<String>> rows = SweepResults.parse(Files.readString(out.resolve(SweepResults.CSV)));
        List<String> header = rows.get(0);
        assertThat(header).contains("name", "status", "val_bits_per_dim", "seconds", "learningRate", "clamp",
                "permutations", "reason");
        assertThat(rows).hasSize(4);
        List<String> full = rows.get(1);
        List<String> diverging = rows.get(3);
        assertThat(full.get(header.indexOf("status"))).isEqualTo("COMPLETED");
        double score = Double.parseDouble(full.get(header.indexOf("val_bits_per_dim")));
        assertThat(score).isBetween(0.5, 9.5);
        assertThat(rows.get(2).get(header.indexOf("permutations"))).isEqualTo("false"); // as trained
        assertThat(diverging.get(header.indexOf("status"))).isEqualTo("FAILED");
        assertThat(diverging.get(header.indexOf("val_bits_per_dim"))).isEmpty();
        assertThat(diverging.get(header.indexOf("reason"))).contains("diverged at iteration").contains("NaN");
        assertThat(diverging.get(header.indexOf("learningRate"))).isEqualTo("5.0");

        // one PNG with every candidate's curves, and the report
        BufferedImage png = ImageIO.read(out.resolve(SweepReport.CURVES).toFile());
        assertThat(png.getWidth()).isEqualTo(2 * 760);
        assertThat(png.getHeight()).isEqualTo(560);
        String report = Files.readString(out.resolve(SweepReport.REPORT));
        assertThat(report).contains("## Ranking", "| 1 |", "FAILED", "destabilises training", "no permutations");
        assertThat(out.resolve(AblationSweep.ARBITER_CONFIG)).exists();
        CandidateResult r0 = SweepResults.forDirectory(out).all().get(0);
        assertThat(r0.validationIterations).contains(0, 30);
        assertThat(r0.trainIterations).isNotEmpty();

        // resume: nothing is trained again (result files untouched), the report is rebuilt from the records
        Path json = out.resolve(SweepResults.CANDIDATES).resolve("000-full").resolve(SweepResults.RESULT_JSON);
        FileTime before = Files.getLastModifiedTime(json);
        String csvBefore = Files.readString(out.resolve(SweepResults.CSV));
        SweepResults.close(out); // as in a new process
        StringBuilder log2 = new StringBuilder();
        assertThat(run(args(out), log2)).as(log2.toString()).isZero();
        assertThat(log2).contains("3 candidate(s): 2 completed, 1 failed, 0 not run");
        assertThat(Files.getLastModifiedTime(json)).isEqualTo(before);
        assertThat(Files.readString(out.resolve(SweepResults.CSV))).isEqualTo(csvBefore);

        // an interrupted sweep: only what is missing from the CSV is trained
        SweepResults.close(out);
        List<String> lines = Files.readAllLines(out.resolve(SweepResults.CSV));
        Files.write(out.resolve(SweepResults.CSV), lines.subList(0, 3)); // header + candidates 0 and 1
        StringBuilder log3 = new StringBuilder();
        assertThat(run(args(out), log3)).as(log3.toString()).isZero();
        assertThat(Files.getLastModifiedTime(json)).isEqualTo(before);
        assertThat(SweepResults.parse(Files.readString(out.resolve(SweepResults.CSV)))).hasSize(4);

        // --restart starts over
        SweepResults.close(out);
        StringBuilder log4 = new StringBuilder();
        assertThat(run(args(out, "--restart"), log4)).as(log4.toString()).isZero();
        assertThat(Files.getLastModifiedTime(json)).isNotEqualTo(before);
    }
}
