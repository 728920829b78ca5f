package io.github.dl4jcinn.zoo.testing;

import io.github.dl4jcinn.zoo.data.LabeledImages;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Small generated 28x28 "digits" for fast tests: class k is a bright horizontal bar on rows 2k+3..2k+4 over a dark
 * background with a little pixel noise, so a model can learn the classes within a few iterations and a classifier
 * can tell them apart perfectly.
 */
public final class SyntheticDigits {

    private SyntheticDigits() {}

    public static LabeledImages make(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] px = new byte[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = k;
            int shift = rng.nextInt(5) - 2;
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    boolean bar = (r == 2 * k + 3 || r == 2 * k + 4) && c >= 4 + shift && c < 24 + shift;
                    int v = bar ? 200 + rng.nextInt(56) : rng.nextInt(20);
                    px[i * 784 + r * 28 + c] = (byte) v;
                }
            }
        }
        return new LabeledImages(px, labels, 28, 28);
    }

    /** Writes train and test splits as the four raw IDX files of an MNIST-style directory. */
    public static void writeIdx(Path dir, LabeledImages train, LabeledImages test) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", train);
        write(dir, "t10k", test);
    }

    private static void write(Path dir, String prefix, LabeledImages data) throws IOException {
        try (OutputStream o = Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte"));
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(0x00000803);
            d.writeInt(data.count());
            d.writeInt(data.rows());
            d.writeInt(data.cols());
            d.write(data.pixels());
        }
        try (OutputStream o = Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte"));
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(0x00000801);
            d.writeInt(data.count());
            for (int l : data.labels()) d.writeByte(l);
        }
    }
}
