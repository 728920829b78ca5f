package io.github.dl4jcinn.zoo.color;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Model zips of the colorization models: DL4J's {@link ModelSerializer} format (a restored graph is a plain
 * {@link ComputationGraph}) plus the {@link ColorizationCinn.Config} the model was built and trained with (data
 * scaling included) and its kind, stored as extra entries of the same zip.
 */
public final class ColorModelFiles {

    static final String CONFIG_KEY = "colorization-config";
    static final String KIND_KEY = "colorization-kind";

    /** What a zip holds. */
    public enum Kind {
        /** The colorization cINN (diverse samples). */
        CINN,
        /** The deterministic regression CNN baseline. */
        CNN
    }

    /** A restored model. */
    public record ColorModel(ComputationGraph graph, ColorizationCinn.Config config, Kind kind) {}

    private ColorModelFiles() {}

    public static void save(ComputationGraph graph, ColorizationCinn.Config config, Kind kind, Path zip)
            throws IOException {
        Path parent = zip.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ModelSerializer.writeModel(graph, zip.toFile(), true);
        ModelSerializer.addObjectToFile(zip.toFile(), CONFIG_KEY, config);
        ModelSerializer.addObjectToFile(zip.toFile(), KIND_KEY, kind.name());
    }

    public static ColorModel load(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("no model file " + zip);
        }
        ComputationGraph g = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        ColorizationCinn.Config c;
        String kind;
        try {
            c = ModelSerializer.getObjectFromFile(zip.toFile(), CONFIG_KEY);
            kind = ModelSerializer.getObjectFromFile(zip.toFile(), KIND_KEY);
        } catch (RuntimeException e) {
            throw new IOException(zip + " is not a colorization model of this project (no " + CONFIG_KEY
                    + " entry): " + e.getMessage(), e);
        }
        return new ColorModel(g, c, Kind.valueOf(kind));
    }
}
