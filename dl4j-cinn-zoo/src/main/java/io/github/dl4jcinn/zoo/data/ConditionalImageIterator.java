package io.github.dl4jcinn.zoo.data;

import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Feeds a cINN with (image, condition) pairs cut from an in-memory {@link LabeledImages}.
 *
 * <p>Each {@link MultiDataSet} has two feature arrays and one label array:
 * <ul>
 *   <li>features[0]: images, float {@code [N, 1, rows, cols]} (NCHW), {@code pixel / pixelDivisor}
 *       (default 255, i.e. [0, 1]; use 256 with {@link NoiseAugmentation#uniformDequantization(long)});</li>
 *   <li>features[1]: the condition, a one-hot class vector, float {@code [N, numClasses]};</li>
 *   <li>labels[0]: zeros {@code [N, 1]}. The cINN maximum-likelihood loss ignores labels, but DL4J's
 *       {@code fit} requires one label array per output.</li>
 * </ul>
 *
 * <p>Shuffling is reproducible: the order of epoch {@code e} depends only on (seed, e), never on what happened
 * before, and a different permutation is drawn every epoch. {@link #reset()} starts the next epoch; a reset
 * before any batch of the current epoch was taken keeps the current order, so the extra reset DL4J sometimes does
 * before the first epoch does not skip a permutation. Not thread-safe.
 */
public final class ConditionalImageIterator implements MultiDataSetIterator {

    private static final long serialVersionUID = 1L;

    private final LabeledImages data;
    private final int batchSize;
    private final int numClasses;
    private final float pixelDivisor;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private MultiDataSetPreProcessor preProcessor;

    private final int[] order;
    private int epoch;
    private int cursor;

    private ConditionalImageIterator(Builder b) {
        this.data = b.data;
        this.batchSize = b.batchSize;
        this.numClasses = b.numClasses;
        this.pixelDivisor = b.pixelDivisor;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.preProcessor = b.preProcessor;
        this.order = new int[data.count()];
        fillOrder();
    }

    /** Starts a builder; defaults: batch 64, 10 classes, pixel / 255, no shuffle, keep the last short batch. */
    public static Builder builder(LabeledImages data) {
        return new Builder(data);
    }

    /** Options of a {@link ConditionalImageIterator}. */
    public static final class Builder {
        private final LabeledImages data;
        private int batchSize = 64;
        private int numClasses = 10;
        private float pixelDivisor = 255f;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private MultiDataSetPreProcessor preProcessor;

        private Builder(LabeledImages data) {
            if (data == null) {
                throw new IllegalArgumentException("data must not be null");
            }
            this.data = data;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Length of the one-hot condition vector; every label must be below it. */
        public Builder numClasses(int numClasses) {
            if (numClasses <= 0) {
                throw new IllegalArgumentException("numClasses must be > 0, got " + numClasses);
            }
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Images become {@code pixel / divisor}. 255 (default) maps to [0, 1]; 256 maps to [0, 255/256], the
         * scaling that {@link NoiseAugmentation#uniformDequantization(long)} assumes.
         */
        public Builder pixelDivisor(float divisor) {
            if (!(divisor > 0)) {
                throw new IllegalArgumentException("divisor must be > 0, got " + divisor);
            }
            this.pixelDivisor = divisor;
            return this;
        }

        /** Shuffles every epoch with a permutation determined by (seed, epoch number). */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Whether to skip the final batch when it is smaller than the batch size. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Applied to every batch (e.g. {@link NoiseAugmentation}); may be {@code null}. */
        public Builder preProcessor(MultiDataSetPreProcessor preProcessor) {
            this.preProcessor = preProcessor;
            return this;
        }

        public ConditionalImageIterator build() {
            int[] labels = data.labels();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException("label " + labels[i] + " of example " + i
                            + " is outside 0.." + (numClasses - 1) + " (numClasses = " + numClasses + ")");
                }
            }
            return new ConditionalImageIterator(this);
        }
    }

    @Override
    public boolean hasNext() {
        return order.length - cursor >= (dropLast ? batchSize : 1);
    }

    @Override
    public MultiDataSet next() {
        return next(batchSize);
    }

    /** The next {@code min(num, remaining)} examples; {@code dropLast} only affects {@link #hasNext()}. */
    @Override
    public MultiDataSet next(int num) {
        if (num <= 0) {
            throw new IllegalArgumentException("num must be > 0, got " + num);
        }
        if (cursor >= order.length || !hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is exhausted (" + cursor + " of "
                    + order.length + " examples used); call reset()");
        }
        int n = Math.min(num, order.length - cursor);
        int rows = data.rows();
        int cols = data.cols();
        int pixelsPer = rows * cols;
        byte[] pixels = data.pixels();
        float[] images = new float[n * pixelsPer];
        float[] oneHot = new float[n * numClasses];
        float scale = 1f / pixelDivisor;
        for (int j = 0; j < n; j++) {
            int idx = order[cursor + j];
            int src = idx * pixelsPer;
            int dst = j * pixelsPer;
            for (int p = 0; p < pixelsPer; p++) {
                images[dst + p] = (pixels[src + p] & 0xFF) * scale;
            }
            oneHot[j * numClasses + data.label(idx)] = 1f;
        }
        cursor += n;
        INDArray x = Nd4j.create(images, new long[] {n, 1, rows, cols}, DataType.FLOAT);
        INDArray c = Nd4j.create(oneHot, new long[] {n, numClasses}, DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 1);
        MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x, c}, new INDArray[] {y});
        if (preProcessor != null) {
            preProcessor.preProcess(mds);
        }
        return mds;
    }

    /** Starts the next epoch (new permutation if shuffling); a no-op if no batch of this epoch was taken yet. */
    @Override
    public void reset() {
        if (cursor == 0) {
            return;
        }
        epoch++;
        cursor = 0;
        fillOrder();
    }

    /**
     * Jumps to batch {@code batchesDone} of epoch {@code epoch} (0-based), as if the iterator had been used from the
     * start up to there: the order of an epoch depends only on (seed, epoch), so a resumed training run sees the
     * same batches as an uninterrupted one.
     */
    public void seek(int epoch, int batchesDone) {
        if (epoch < 0 || batchesDone < 0) {
            throw new IllegalArgumentException("epoch and batchesDone must be >= 0, got " + epoch + ", "
                    + batchesDone);
        }
        if (batchesDone > (order.length + batchSize - 1) / batchSize) {
            throw new IllegalArgumentException("batch " + batchesDone + " is past the end of an epoch of "
                    + order.length + " examples at batch size " + batchSize);
        }
        this.epoch = epoch;
        fillOrder();
        // the last batch of an epoch may be short: having taken all batches means the epoch is exhausted
        this.cursor = (int) Math.min((long) batchesDone * batchSize, order.length);
    }

    private void fillOrder() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (!shuffle) {
            return;
        }
        // Seeded by (seed, epoch) only, so epoch e is the same whatever came before it.
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[k];
            order[k] = t;
        }
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /**
     * {@code false}: batches are cut from memory in well under a millisecond, so DL4J's prefetch thread would only
     * add a thread, extra copies and nondeterministic interleaving with the preprocessor's random generator.
     */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** Number of examples per epoch (before drop-last). */
    public int totalExamples() {
        return order.length;
    }

    /** Length of the one-hot condition. */
    public int totalOutcomes() {
        return numClasses;
    }

    /** Pixels per image, i.e. the dimensionality the cINN models. */
    public int inputColumns() {
        return data.pixelsPerImage();
    }

    public int batch() {
        return batchSize;
    }

    /** Batches one epoch yields with {@link #next()}. */
    public int batchesPerEpoch() {
        return dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
    }

    /** Current epoch, 0-based; incremented by {@link #reset()}. */
    public int epoch() {
        return epoch;
    }

    /** The in-memory data this iterator reads. */
    public LabeledImages data() {
        return data;
    }
}
