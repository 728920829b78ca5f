package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.zoo.data.DatasetNotFoundException;
import io.github.dl4jcinn.zoo.data.DigitDataset;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.Split;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.training.Checkpoints;
import io.github.dl4jcinn.zoo.training.CinnTrainer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;

/** What the subcommands share: the run directory layout, finding the model, choosing the data set. */
final class RunFiles {

    static final String DEFAULT_RUN = "runs/mnist";

    private RunFiles() {}

    /** The chosen data set, and a note when it is not the one asked for. */
    record DataChoice(DigitDataset dataset, Path dir, String note) {
        LabeledImages load(Split split) throws IOException {
            return dataset.load(split, dir);
        }

        String key() {
            return dataset == DigitDataset.MNIST ? "mnist" : "fashion-mnist";
        }
    }

    static DigitDataset parsePreset(String preset) {
        switch (preset.toLowerCase(Locale.ROOT)) {
            case "mnist":
                return DigitDataset.MNIST;
            case "fashion-mnist":
            case "fashion":
                return DigitDataset.FASHION_MNIST;
            default:
                throw new Args.UsageException("unknown --preset '" + preset + "'; use mnist or fashion-mnist");
        }
    }

    /**
     * Locates the data set; when MNIST is missing and {@code fallback} is on, says so loudly and uses Fashion-MNIST
     * if that is installed.
     */
    static DataChoice chooseData(String preset, Path dataDir, boolean fallback, PrintStream err) throws IOException {
        DigitDataset wanted = parsePreset(preset);
        try {
            wanted.locate(dataDir);
            return new DataChoice(wanted, dataDir, null);
        } catch (DatasetNotFoundException e) {
            if (wanted != DigitDataset.MNIST || !fallback || dataDir != null) {
                throw e;
            }
            try {
                DigitDataset.FASHION_MNIST.locate(null);
            } catch (DatasetNotFoundException e2) {
                throw new DatasetNotFoundException("MNIST (and the Fashion-MNIST fallback)", e.searched(),
                        "run scripts/fetch-data.sh from the repository root, then try again.\n"
                                + DigitDataset.howToObtainAny());
            }
            String note = "MNIST was not found, so this run uses Fashion-MNIST instead. To train on MNIST, run "
                    + "scripts/fetch-data.sh (puts MNIST in ~/.cache/dl4j-cinn/mnist) and start again, or pass "
                    + "--no-fallback to make a missing MNIST an error.\n" + e.getMessage();
            err.println("WARNING: " + note);
            return new DataChoice(DigitDataset.FASHION_MNIST, null, note);
        }
    }

    /** The data set a run was trained on (from its metrics or checkpoint), or {@code fallbackPreset}. */
    static String presetOfRun(Path run, String fallbackPreset) {
        for (String f : new String[]{CinnTrainer.METRICS, Checkpoints.SIDECAR}) {
            Path p = run.resolve(f);
            if (Files.isRegularFile(p)) {
                try {
                    Map<String, Object> m = Json.readMap(p);
                    Object info = m.containsKey("info") ? m.get("info") : m;
                    if (info instanceof Map && ((Map<?, ?>) info).get("preset") != null) {
                        return String.valueOf(((Map<?, ?>) info).get("preset"));
                    }
                } catch (IOException e) {
                    // fall through
                }
            }
        }
        return fallbackPreset;
    }

    /** {@code model} if given, else the run's final model, else its last checkpoint. */
    static Path modelFile(Path run, Path model) throws IOException {
        if (model != null) {
            if (!Files.isRegularFile(model)) {
                throw new IOException("Model file " + model.toAbsolutePath() + " does not exist");
            }
            return model;
        }
        Path fin = run.resolve(CinnTrainer.FINAL_MODEL);
        if (Files.isRegularFile(fin)) {
            return fin;
        }
        Path ck = run.resolve(Checkpoints.MODEL);
        if (Files.isRegularFile(ck)) {
            return ck;
        }
        throw new IOException("No trained model in " + run.toAbsolutePath() + " (looked for "
                + CinnTrainer.FINAL_MODEL + " and " + Checkpoints.MODEL + "). Train one first: cinn train --out "
                + run + "   or pass --model FILE");
    }

    static ComputationGraph loadModel(Path file) throws IOException {
        return ModelSerializer.restoreComputationGraph(file.toFile(), false);
    }

    static Path run(Args a) {
        return a.path("run") != null ? a.path("run") : Paths.get(DEFAULT_RUN);
    }
}
