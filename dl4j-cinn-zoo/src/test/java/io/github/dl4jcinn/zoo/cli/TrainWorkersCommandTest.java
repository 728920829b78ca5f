package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.zoo.parallel.ParallelCinnTraining;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.testing.SyntheticDigits;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cinn train --workers N}: end to end with two replicas, and each worker's share of the threads. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TrainWorkersCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cinn(String... args) {
        out.reset();
        err.reset();
        return CinnCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void trainWithTwoWorkersRecordsThemAndPlansTheDecayForRounds(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("idx");
        SyntheticDigits.writeIdx(data, SyntheticDigits.make(250, 1), SyntheticDigits.make(40, 2));
        Path run = dir.resolve("run");

        // 250 images in batches of 50: 5 batches, i.e. rounds of 2, 2 and 1 batches per epoch
        assertThat(cinn("train", "--model", "tiny", "--epochs", "2", "--batch", "50", "--workers", "2",
                "--data", data.toString(), "--out", run.toString(), "--eval-every-epoch", "0", "--test-limit", "20",
                "--rows", "2", "--log-every", "2")).as(err.toString(StandardCharsets.UTF_8)).isZero();

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("6 iterations planned, 2 workers: effective batch 100");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Done: 2 epochs, 6 iterations");
        Map<String, Object> m = Json.readMap(run.resolve("metrics.json"));
        assertThat(m).containsEntry("workers", 2).containsEntry("parallelMode", "AVERAGING")
                .containsEntry("effectiveBatchSize", 100).containsEntry("iterations", 6)
                .containsEntry("trainSamplesSeen", 500);
        assertThat(m.get("model").toString()).as("learning-rate decay planned for rounds")
                .contains("over 6 iterations");
        ComputationGraph model = ModelSerializer.restoreComputationGraph(run.resolve("model.zip").toFile(), false);
        assertThat(model.getIterationCount()).isEqualTo(6);
        assertThat(run.resolve("samples.png")).exists();
    }

    @Test
    void workersAreDocumentedAndCheckedOnTheCommandLine() {
        assertThat(cinn("train", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--workers <N>", "cores / N",
                "cinn train --workers 2");
        assertThat(cinn("train", "--workers", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--workers must be >= 1");
    }

    @Test
    void eachWorkerGetsItsShareOfTheThreadsAndNeverNone() {
        assertThat(ParallelCinnTraining.threadsPerWorker(8, 2)).isEqualTo(4);
        assertThat(ParallelCinnTraining.threadsPerWorker(2, 2)).isEqualTo(1);
        assertThat(ParallelCinnTraining.threadsPerWorker(2, 3)).as("never below one thread").isEqualTo(1);
        assertThat(ParallelCinnTraining.threadsPerWorker(2, 1)).as("one worker: all of them").isEqualTo(2);
    }
}
