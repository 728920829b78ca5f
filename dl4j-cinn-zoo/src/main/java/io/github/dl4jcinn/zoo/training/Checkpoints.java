package io.github.dl4jcinn.zoo.training;

import io.github.dl4jcinn.zoo.report.Json;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Atomic checkpoints of a training run in one directory: {@value #MODEL} (DL4J {@link ModelSerializer} zip with the
 * updater state, and the {@link TrainerState} as JSON inside it under {@value #STATE_KEY}) and the human-readable
 * sidecar {@value #SIDECAR}. Each file is written to a temporary file in the same directory and renamed over the old
 * one with {@code ATOMIC_MOVE}, so a crash at any moment leaves either the previous or the new checkpoint, never a
 * half-written one. The state inside the zip is authoritative on resume; the sidecar only mirrors it.
 */
public final class Checkpoints {

    public static final String MODEL = "checkpoint.zip";
    public static final String SIDECAR = "checkpoint.json";
    static final String STATE_KEY = "cinnTrainerState";

    private Checkpoints() {}

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(MODEL));
    }

    /** Saves graph (with updater) and state; atomic per file. */
    public static void save(Path dir, ComputationGraph graph, TrainerState state) throws IOException {
        Files.createDirectories(dir);
        String json = Json.write(state);
        Path tmp = Files.createTempFile(dir, ".checkpoint-", ".zip.tmp");
        try {
            ModelSerializer.writeModel(graph, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), STATE_KEY, json);
            moveAtomically(tmp, dir.resolve(MODEL));
        } finally {
            Files.deleteIfExists(tmp);
        }
        writeAtomically(dir.resolve(SIDECAR), json);
    }

    /** The saved graph (with updater state) and the trainer state. */
    public static Restored load(Path dir) throws IOException {
        Path zip = dir.resolve(MODEL);
        if (!Files.isRegularFile(zip)) {
            throw new IOException("No checkpoint to resume from: " + zip.toAbsolutePath() + " does not exist");
        }
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(zip.toFile(), true);
        String json;
        try {
            json = ModelSerializer.getObjectFromFile(zip.toFile(), STATE_KEY);
        } catch (RuntimeException e) {
            throw new IOException("Checkpoint " + zip.toAbsolutePath() + " has no trainer state (entry " + STATE_KEY
                    + "); was it written by CinnTrainer?", e);
        }
        TrainerState state = Json.read(json, TrainerState.class);
        if (state.iteration != graph.getIterationCount()) {
            throw new IOException("Checkpoint " + zip.toAbsolutePath() + " is inconsistent: trainer state at iteration "
                    + state.iteration + ", model at " + graph.getIterationCount());
        }
        return new Restored(graph, state);
    }

    /** Writes text to {@code target} through a temporary file and an atomic rename. */
    public static void writeAtomically(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
            moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Saves a model (with updater) atomically. */
    public static void saveModel(ComputationGraph graph, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            ModelSerializer.writeModel(graph, tmp.toFile(), true);
            moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renames {@code from} over {@code to} atomically (same directory), with ordinary read permissions. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        // createTempFile makes owner-only files; results are meant to be shared like any other output
        try {
            Files.setPosixFilePermissions(from, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system of " + to.getParent() + " cannot rename atomically; "
                    + "checkpoints need a local file system", e);
        }
    }

    /** A restored checkpoint. */
    public record Restored(ComputationGraph graph, TrainerState state) {}
}
