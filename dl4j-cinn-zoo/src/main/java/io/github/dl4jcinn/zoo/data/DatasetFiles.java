package io.github.dl4jcinn.zoo.data;

import java.nio.file.Path;

/**
 * The four located files of an MNIST-style data set (each may be raw or gzip; {@link IdxReader} detects which).
 *
 * @param directory   where they were found
 * @param trainImages {@code train-images-idx3-ubyte[.gz]}
 * @param trainLabels {@code train-labels-idx1-ubyte[.gz]}
 * @param testImages  {@code t10k-images-idx3-ubyte[.gz]}
 * @param testLabels  {@code t10k-labels-idx1-ubyte[.gz]}
 */
public record DatasetFiles(Path directory, Path trainImages, Path trainLabels, Path testImages, Path testLabels) {

    public Path images(Split split) {
        return split == Split.TRAIN ? trainImages : testImages;
    }

    public Path labels(Split split) {
        return split == Split.TRAIN ? trainLabels : testLabels;
    }
}
