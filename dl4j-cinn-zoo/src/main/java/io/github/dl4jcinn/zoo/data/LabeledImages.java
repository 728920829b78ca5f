package io.github.dl4jcinn.zoo.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A compact in-memory split of a labelled image data set: one unsigned byte per grey pixel plus an int label per
 * image. This is what the iterators cut batches from; keeping bytes (not floats) makes a full MNIST train split
 * 47 MB and lets {@link #first(int)} make quick-run subsets cheaply.
 *
 * <p>The arrays are shared, not copied, for speed: treat them as read-only.
 */
public final class LabeledImages implements Serializable {

    private static final long serialVersionUID = 1L;

    private final byte[] pixels;
    private final int[] labels;
    private final int rows;
    private final int cols;

    /**
     * @param pixels {@code labels.length * rows * cols} bytes, row-major, image after image (unsigned)
     * @param labels one class index per image
     * @param rows   image height
     * @param cols   image width
     */
    public LabeledImages(byte[] pixels, int[] labels, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("rows and cols must be positive, got " + rows + "x" + cols);
        }
        if (pixels.length != (long) labels.length * rows * cols) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes but " + labels.length
                    + " labels x " + rows + "x" + cols + " needs " + (long) labels.length * rows * cols);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
    }

    /** Pairs images with labels, checking that the counts agree. */
    public static LabeledImages of(IdxImages images, int[] labels) {
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(
                    images.count() + " images but " + labels.length + " labels");
        }
        return new LabeledImages(images.pixels(), labels, images.rows(), images.cols());
    }

    public int count() {
        return labels.length;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Class index of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Grey value 0..255 of image {@code i} at ({@code row}, {@code col}). */
    public int pixel(int i, int row, int col) {
        return pixels[(i * rows + row) * cols + col] & 0xFF;
    }

    /** All pixels, shared (not copied): {@code count() * rows() * cols()} unsigned bytes. */
    public byte[] pixels() {
        return pixels;
    }

    /** All labels, shared (not copied). */
    public int[] labels() {
        return labels;
    }

    /** Largest label + 1 (0 when empty); a lower bound for the number of classes. */
    public int maxLabelPlusOne() {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    /**
     * The first {@code n} images (all of them if {@code n >= count()}), copied, for quick runs and tests.
     * The official MNIST files are not sorted by class, so a prefix has roughly all classes.
     */
    public LabeledImages first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (n >= count()) {
            return this;
        }
        return new LabeledImages(Arrays.copyOf(pixels, n * pixelsPerImage()), Arrays.copyOf(labels, n), rows, cols);
    }

    /**
     * The same images with every label moved to the next class, {@code (label + 1) mod numClasses}: each image paired
     * with a wrong label, every class equally often where the classes are balanced.
     */
    public LabeledImages withShiftedLabels(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes to shift labels, got " + numClasses);
        }
        int[] shifted = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside 0.."
                        + (numClasses - 1));
            }
            shifted[i] = (labels[i] + 1) % numClasses;
        }
        return new LabeledImages(pixels, shifted, rows, cols);
    }

    @Override
    public String toString() {
        return "LabeledImages[" + count() + " x " + rows + "x" + cols + "]";
    }
}
