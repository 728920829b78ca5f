package io.github.dl4jcinn.zoo.data;

/** Which half of an MNIST-style data set; the value is the file-name prefix used by the official files. */
public enum Split {
    /** 60000 training images: {@code train-*-ubyte}. */
    TRAIN("train"),
    /** 10000 test images: {@code t10k-*-ubyte}. */
    TEST("t10k");

    private final String filePrefix;

    Split(String filePrefix) {
        this.filePrefix = filePrefix;
    }

    /** {@code train} or {@code t10k}. */
    public String filePrefix() {
        return filePrefix;
    }

    /** Base name of the image file without a {@code .gz} suffix, e.g. {@code train-images-idx3-ubyte}. */
    public String imagesFileName() {
        return filePrefix + "-images-idx3-ubyte";
    }

    /** Base name of the label file without a {@code .gz} suffix, e.g. {@code t10k-labels-idx1-ubyte}. */
    public String labelsFileName() {
        return filePrefix + "-labels-idx1-ubyte";
    }
}
