package io.github.dl4jcinn.zoo.conditioning;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads pretrained zoo weights through DL4J's own {@link ZooModel#initPretrained(PretrainedType)} with an explicit
 * local cache directory, and refuses to start a download unless asked to.
 *
 * <p>DL4J looks for {@code <cache>/models/<modelName>/<file name of pretrainedUrl>}, downloads it when missing (with
 * no effective timeout: on a network that drops packets the call hangs), then checks the file's Adler32 against
 * {@link ZooModel#pretrainedChecksum} (on mismatch it deletes the file and throws). This class sets the cache with
 * {@link DL4JResources#setBaseDirectory} for the duration of the call (restoring the previous one afterwards) and:
 * <ul>
 *   <li>{@link #offline(Path)}: a missing file is reported at once with the exact path to put it at, the file name
 *       and the checksum DL4J will verify, without touching the network;</li>
 *   <li>{@link #allowingDownload(Path)}: DL4J's download runs (for machines that can reach the DL4J model host).</li>
 * </ul>
 * A corrupt file (checksum mismatch) is reported as such, naming the file DL4J deleted.
 *
 * <pre>{@code ComputationGraph vgg = PretrainedWeights.offline(Path.of("/data/dl4j"))
 *         .load(VGG16.builder().build(), PretrainedType.IMAGENET);
 * // expects /data/dl4j/models/vgg16/vgg16_dl4j_inference.zip}</pre>
 */
public final class PretrainedWeights {

    private final Path baseDirectory;
    private final boolean allowDownload;

    private PretrainedWeights(Path baseDirectory, boolean allowDownload) {
        this.baseDirectory = baseDirectory.toAbsolutePath();
        this.allowDownload = allowDownload;
    }

    /** Cache only: never downloads. */
    public static PretrainedWeights offline(Path baseDirectory) {
        return new PretrainedWeights(baseDirectory, false);
    }

    /** Cache first, DL4J's download when the file is missing. */
    public static PretrainedWeights allowingDownload(Path baseDirectory) {
        return new PretrainedWeights(baseDirectory, true);
    }

    public Path baseDirectory() {
        return baseDirectory;
    }

    public boolean allowsDownload() {
        return allowDownload;
    }

    /** Where DL4J will look for (and cache) the weights of {@code model}. */
    public Path cacheFile(ZooModel<?> model, PretrainedType type) {
        String url = requireUrl(model, type);
        return baseDirectory.resolve(ResourceType.ZOO_MODEL.resourceName()).resolve(model.modelName())
                .resolve(new File(url).getName());
    }

    /** The pretrained graph, through {@link ZooModel#initPretrained(PretrainedType)}; see the class comment. */
    public ComputationGraph load(ZooModel<?> model, PretrainedType type) {
        Path file = cacheFile(model, type);
        if (!Files.isRegularFile(file) && !allowDownload) {
            throw new PretrainedWeightsException("Pretrained " + type + " weights of '" + model.modelName()
                    + "' are not in the local cache: expected " + file + " (Adler32 "
                    + model.pretrainedChecksum(type) + "). Downloads are off; copy the file there, allow downloads, "
                    + "or use random initialisation.", file, false);
        }
        synchronized (DL4JResources.class) {
            File previous = DL4JResources.getBaseDirectory();
            try {
                Files.createDirectories(baseDirectory);
                DL4JResources.setBaseDirectory(baseDirectory.toFile());
                Object restored = model.initPretrained(type);
                if (!(restored instanceof ComputationGraph)) {
                    throw new PretrainedWeightsException("Pretrained '" + model.modelName() + "' is a "
                            + restored.getClass().getSimpleName() + ", a ComputationGraph is needed", file, false);
                }
                return (ComputationGraph) restored;
            } catch (IllegalStateException e) {
                if (String.valueOf(e.getMessage()).contains("checksum")) {
                    throw new PretrainedWeightsException("Pretrained weights file " + file + " failed its checksum "
                            + "(expected Adler32 " + model.pretrainedChecksum(type) + "): the file is corrupt or "
                            + "from another release, and DL4J has deleted it. Copy a good file there again.",
                            file, true, e);
                }
                throw e;
            } catch (IOException e) {
                throw new PretrainedWeightsException("Could not load pretrained weights of '" + model.modelName()
                        + "' into " + file + ": " + e, file, false, e);
            } finally {
                if (previous != null && previous.isDirectory()) {
                    DL4JResources.setBaseDirectory(previous);
                } else {
                    DL4JResources.resetBaseDirectoryLocation();
                }
            }
        }
    }

    private static String requireUrl(ZooModel<?> model, PretrainedType type) {
        String url = model.pretrainedUrl(type);
        if (url == null) {
            throw new PretrainedWeightsException("'" + model.modelName() + "' has no pretrained " + type
                    + " weights", null, false);
        }
        return url;
    }

    /** Loading failed: the file is missing (downloads off), corrupt, or unreadable. */
    public static final class PretrainedWeightsException extends RuntimeException {
        private final transient Path file;
        private final boolean corrupt;

        PretrainedWeightsException(String message, Path file, boolean corrupt) {
            super(message);
            this.file = file;
            this.corrupt = corrupt;
        }

        PretrainedWeightsException(String message, Path file, boolean corrupt, Throwable cause) {
            super(message, cause);
            this.file = file;
            this.corrupt = corrupt;
        }

        /** The cache file concerned (null when the model has no such weights). */
        public Path file() {
            return file;
        }

        /** True when the file existed but failed the checksum. */
        public boolean corrupt() {
            return corrupt;
        }
    }
}
