package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.zoo.data.DatasetNotFoundException;
import io.github.dl4jcinn.zoo.data.DigitDataset;
import io.github.dl4jcinn.zoo.image.ImageGrid;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.testing.SyntheticDigits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CinnCommandTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int cinn(String... args) {
        outBytes.reset();
        errBytes.reset();
        return CinnCommand.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "sample", "transfer", "explore", "evaluate", "bench"})
    void everySubcommandHasHelp(String cmd) {
        assertThat(cinn(cmd, "--help")).isZero();
        assertThat(out()).startsWith("Usage: cinn " + cmd + " [options]").contains("--help", "Examples:");
    }

    @Test
    void colorizationIsReachableThroughCinn() {
        assertThat(cinn("color", "--help")).isZero();
        assertThat(out()).contains("train", "colorize", "evaluate");
        assertThat(cinn("image-to-image", "--help")).isZero();
    }

    @Test
    void topLevelHelpUnknownCommandsAndOptions() {
        assertThat(cinn("--help")).isZero();
        assertThat(out()).contains("train", "sample", "transfer", "explore", "evaluate", "bench");
        assertThat(cinn()).isEqualTo(2);
        assertThat(cinn("fly")).isEqualTo(2);
        assertThat(err()).contains("unknown command 'fly'");
        assertThat(cinn("train", "--epochz", "3")).isEqualTo(2);
        assertThat(err()).contains("unknown option --epochz");
        assertThat(cinn("sample", "--rows")).isEqualTo(2);
        assertThat(err()).contains("--rows needs a value");
        assertThat(cinn("sample", "--rows", "many")).isEqualTo(2);
    }

    @Test
    void missingModelIsAClearError(@TempDir Path dir) {
        assertThat(cinn("sample", "--run", dir.toString())).isEqualTo(1);
        assertThat(err()).contains("No trained model in", "cinn train");
    }

    @Test
    void trainThenEverySubcommandOnSmallGeneratedData(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("idx");
        SyntheticDigits.writeIdx(data, SyntheticDigits.make(200, 1), SyntheticDigits.make(40, 2));
        Path run = dir.resolve("run");

        // with a label embedding, like the quick model: every command must find the label through it
        assertThat(cinn("train", "--model", "tiny", "--epochs", "1", "--batch", "50", "--data", data.toString(),
                "--out", run.toString(), "--eval-every-epoch", "20", "--rows", "3", "--log-every", "2",
                "--label-embedding", "8")).as(err()).isZero();
        assertThat(out()).contains("Done: 1 epochs, 4 iterations", "samples.png", "transfer.png", "metrics.json");
        Map<String, Object> metrics = Json.readMap(run.resolve("metrics.json"));
        assertThat(metrics).containsKeys("testBitsPerDim", "testNllNatsPerDim", "trainSamplesPerSecond",
                "samplingSamplesPerSecond", "epochs", "wallSecondsThisProcess", "parameters", "peakHeapMiB", "files");
        assertThat(metrics.get("preset")).isEqualTo("mnist");
        assertThat((String) metrics.get("model")).contains("label embedding 8");
        BufferedImage samples = ImageIO.read(run.resolve("samples.png").toFile());
        assertThat(samples.getWidth()).isEqualTo(ImageGrid.gridWidth(10, 28, 2, 2));
        assertThat(samples.getHeight()).isEqualTo(ImageGrid.gridHeight(3, 28, 2, 2));
        BufferedImage transfer = ImageIO.read(run.resolve("transfer.png").toFile());
        assertThat(transfer.getWidth()).isEqualTo(ImageGrid.gridWidth(11, 28, 2, 2));
        assertThat(transfer.getHeight()).isEqualTo(ImageGrid.gridHeight(3, 28, 2, 2));

        assertThat(cinn("sample", "--run", run.toString(), "--rows", "2", "--temperature", "0.5", "--scale", "1"))
                .as(err()).isZero();
        BufferedImage s2 = ImageIO.read(run.resolve("samples-T0.50.png").toFile());
        assertThat(s2.getHeight()).isEqualTo(ImageGrid.gridHeight(2, 28, 2, 1));

        assertThat(cinn("transfer", "--run", run.toString(), "--data", data.toString(), "--count", "4",
                "--out", dir.resolve("t.png").toString())).as(err()).isZero();
        assertThat(ImageIO.read(dir.resolve("t.png").toFile()).getHeight())
                .isEqualTo(ImageGrid.gridHeight(4, 28, 2, 2));

        assertThat(cinn("explore", "--run", run.toString(), "--data", data.toString(), "--limit", "30",
                "--steps", "3")).as(err()).isZero();
        assertThat(run.resolve("explore-pc1.png")).exists();
        assertThat(run.resolve("explore-pc2.png")).exists();
        assertThat(run.resolve("explore-interpolation.png")).exists();
        assertThat(ImageIO.read(run.resolve("explore-pc1.png").toFile()).getWidth())
                .isEqualTo(ImageGrid.gridWidth(3, 28, 2, 2));
        assertThat(Json.readMap(run.resolve("explore.json"))).containsKeys("topVariances", "files");

        assertThat(cinn("evaluate", "--run", run.toString(), "--data", data.toString(), "--samples-per-class", "3",
                "--classifier-epochs", "1")).as(err()).isZero();
        Map<String, Object> eval = Json.readMap(run.resolve("evaluation.json"));
        assertThat(eval).containsKeys("testBitsPerDim", "classifierTestAccuracy", "labelFidelity", "diversity",
                "labelFidelityPerClass", "wrongLabelGapBitsPerDim");
        assertThat(((Number) eval.get("wrongLabelGapBitsPerDim")).doubleValue()).isFinite();
        assertThat(((Number) eval.get("diversity")).doubleValue()).isPositive();
        assertThat(out().trim()).startsWith("{").endsWith("}");
        assertThat(run.resolve("classifier-mnist.zip")).exists();

        // resume of a finished run: nothing left to do, the iteration count is kept
        assertThat(cinn("train", "--model", "tiny", "--epochs", "1", "--batch", "50", "--data", data.toString(),
                "--out", run.toString(), "--resume", "--eval-every-epoch", "0")).as(err()).isZero();
        assertThat(Json.readMap(run.resolve("metrics.json"))).containsEntry("resumedFromIteration", 4)
                .containsEntry("iterations", 4);
    }

    @Test
    void benchPrintsOneJsonLine() throws Exception {
        assertThat(cinn("bench", "--model", "tiny", "--batch", "16", "--warmup", "1", "--steps", "2", "--sample-n", "8",
                "--sample-repeats", "1", "--reference", "off")).as(err()).isZero();
        String line = out().trim();
        assertThat(line.lines().count()).isEqualTo(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.read(line, Map.class);
        assertThat(m).containsKeys("trainSamplesPerSecond", "samplingSamplesPerSecond", "peakHeapMiB", "peakRssMiB",
                "parameters", "batch");
    }

    @Test
    void missingMnistFallsBackToFashionMnistOnlyWhenAllowedAndSaysSo(@TempDir Path home) throws Exception {
        assumeTrue(System.getenv(DigitDataset.DATA_DIR_ENV) == null, "CINN_DATA_DIR is set");
        assumeTrue(Files.isDirectory(DigitDataset.DEBIAN_FASHION_MNIST_DIR), "Fashion-MNIST not installed");
        String saved = System.getProperty("user.home");
        System.setProperty("user.home", home.toString()); // no ~/.cache/dl4j-cinn/mnist there
        try {
            ByteArrayOutputStream warn = new ByteArrayOutputStream();
            RunFiles.DataChoice c = RunFiles.chooseData("mnist", null, true, new PrintStream(warn, true,
                    StandardCharsets.UTF_8));
            assertThat(c.dataset()).isEqualTo(DigitDataset.FASHION_MNIST);
            assertThat(c.note()).contains("MNIST was not found", "scripts/fetch-data.sh");
            assertThat(warn.toString(StandardCharsets.UTF_8)).startsWith("WARNING: MNIST was not found");
            assertThatThrownBy(() -> RunFiles.chooseData("mnist", null, false, new PrintStream(warn)))
                    .isInstanceOf(DatasetNotFoundException.class).hasMessageContaining("fetch-data.sh");
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    @Test
    void sameDiffDebugLinesAreDroppedFromStdout() throws Exception {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(new CinnCommand.SameDiffNoiseFilter(target), true, StandardCharsets.UTF_8);
        p.println("Added differentiated op add");
        p.println("{\"a\":1}");
        p.print("Added differentiated op mul\nkeep\n");
        assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\nkeep\n");
    }
}
