package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.zoo.data.DigitDataset;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.Split;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arbiter {@link DataSource} of 28x28 grey 10-class images: a training subset and a disjoint validation set, both
 * cut from the official <em>training</em> split (the test split stays untouched by hyperparameter search):
 * training = its first {@value #TRAIN_EXAMPLES} images, validation = its last {@value #VALIDATION_EXAMPLES}.
 * {@link #trainData()} and {@link #testData()} return {@link LabeledImages}.
 *
 * <p>Properties (all optional): {@value #DATASET} ({@code mnist}, {@code fashion-mnist} or {@code synthetic}: generated
 * bars, for smoke tests without downloads), {@value #DATA_DIR}, {@value #TRAIN_EXAMPLES},
 * {@value #VALIDATION_EXAMPLES}. Loaded sets are cached per property set, so candidates do not re-read files.
 */
public class DigitDataSource implements DataSource {

    private static final long serialVersionUID = 1L;

    public static final String DATASET = "dataset";
    public static final String DATA_DIR = "dataDir";
    public static final String TRAIN_EXAMPLES = "trainExamples";
    public static final String VALIDATION_EXAMPLES = "validationExamples";

    private static final Map<String, LabeledImages[]> CACHE = new ConcurrentHashMap<>();

    private String dataset = "mnist";
    private String dataDir;
    private int trainExamples = 6000;
    private int validationExamples = 1000;
    private transient LabeledImages[] loaded;

    public DigitDataSource() {}

    @Override
    public void configure(Properties p) {
        if (p == null) {
            return;
        }
        dataset = p.getProperty(DATASET, dataset).toLowerCase(Locale.ROOT);
        dataDir = p.getProperty(DATA_DIR, dataDir);
        trainExamples = Integer.parseInt(p.getProperty(TRAIN_EXAMPLES, String.valueOf(trainExamples)));
        validationExamples = Integer.parseInt(p.getProperty(VALIDATION_EXAMPLES, String.valueOf(validationExamples)));
        if (trainExamples <= 0 || validationExamples <= 0) {
            throw new IllegalArgumentException("trainExamples and validationExamples must be > 0");
        }
        loaded = null;
    }

    @Override
    public LabeledImages trainData() {
        return sets()[0];
    }

    /** The validation set (held out from the training split). */
    @Override
    public LabeledImages testData() {
        return sets()[1];
    }

    @Override
    public Class<?> getDataType() {
        return LabeledImages.class;
    }

    /** One line for reports. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d training images (first of the training split), %d validation "
                        + "images (last of the training split)", dataset, trainExamples, validationExamples);
    }

    private LabeledImages[] sets() {
        if (loaded == null) {
            String key = dataset + "|" + dataDir + "|" + trainExamples + "|" + validationExamples;
            loaded = CACHE.computeIfAbsent(key, k -> load());
        }
        return loaded;
    }

    private LabeledImages[] load() {
        if (dataset.equals("synthetic")) {
            return new LabeledImages[]{synthetic(trainExamples, 1), synthetic(validationExamples, 2)};
        }
        DigitDataset ds;
        switch (dataset) {
            case "mnist":
                ds = DigitDataset.MNIST;
                break;
            case "fashion-mnist":
            case "fashion":
                ds = DigitDataset.FASHION_MNIST;
                break;
            default:
                throw new IllegalArgumentException("unknown dataset '" + dataset
                        + "'; use mnist, fashion-mnist or synthetic");
        }
        try {
            Path dir = dataDir == null || dataDir.isEmpty() ? null : Paths.get(dataDir);
            LabeledImages all = ds.load(Split.TRAIN, dir);
            if (trainExamples + validationExamples > all.count()) {
                throw new IllegalArgumentException(trainExamples + " training + " + validationExamples
                        + " validation images requested, the training split has " + all.count());
            }
            return new LabeledImages[]{all.first(trainExamples), last(all, validationExamples)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LabeledImages last(LabeledImages all, int n) {
        int from = all.count() - n;
        int d = all.pixelsPerImage();
        byte[] px = Arrays.copyOfRange(all.pixels(), from * d, all.count() * d);
        int[] labels = Arrays.copyOfRange(all.labels(), from, all.count());
        return new LabeledImages(px, labels, all.rows(), all.cols());
    }

    /**
     * Generated "digits": class k is a bright bar of random length and position in row band k, over a dark
     * noisy background. Learnable within a few iterations; for smoke tests only.
     */
    public static LabeledImages synthetic(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] px = new byte[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(10);
            labels[i] = k;
            int start = 2 + rng.nextInt(8);
            int end = 18 + rng.nextInt(8);
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    boolean bar = (r == 2 * k + 4 || r == 2 * k + 5) && c >= start && c < end;
                    int v = bar ? 180 + rng.nextInt(76) : rng.nextInt(3) == 0 ? rng.nextInt(40) : 0;
                    px[i * 784 + r * 28 + c] = (byte) v;
                }
            }
        }
        return new LabeledImages(px, labels, 28, 28);
    }

    public String getDataset() { return dataset; }
    public int getTrainExamples() { return trainExamples; }
    public int getValidationExamples() { return validationExamples; }
}
