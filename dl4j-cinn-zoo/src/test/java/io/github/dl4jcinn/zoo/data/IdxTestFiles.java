package io.github.dl4jcinn.zoo.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, raw or gzip, with optional deliberate corruption. */
final class IdxTestFiles {

    private IdxTestFiles() {
    }

    /** IDX image bytes: magic, count, rows, cols, then the pixels as given. */
    static byte[] imagesBytes(int magic, int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(pixels);
        out.flush();
        return bos.toByteArray();
    }

    /** IDX label bytes: magic, count, then one byte per label. */
    static byte[] labelsBytes(int magic, int count, int[] labels) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        out.writeInt(count);
        for (int l : labels) {
            out.writeByte(l);
        }
        out.flush();
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(content);
        }
        return bos.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, content);
        return file;
    }

    /** Pixels whose value identifies the image: pixel 0 of image i is i, the rest is (i * 31 + p) mod 256. */
    static byte[] pixels(int count, int rows, int cols) {
        byte[] px = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * cols; p++) {
                px[i * rows * cols + p] = (byte) (p == 0 ? i : (i * 31 + p) % 256);
            }
        }
        return px;
    }

    static int[] labels(int count) {
        int[] l = new int[count];
        for (int i = 0; i < count; i++) {
            l[i] = (i * 7) % 10;
        }
        return l;
    }

    /**
     * Writes the four files of a tiny data set (train: trainCount, test: testCount images of rows x cols) into
     * dir; {@code gzipped} chooses {@code .gz} names with gzip content.
     */
    static void writeDataset(Path dir, int trainCount, int testCount, int rows, int cols, boolean gzipped)
            throws IOException {
        writeSplit(dir, Split.TRAIN, trainCount, rows, cols, gzipped);
        writeSplit(dir, Split.TEST, testCount, rows, cols, gzipped);
    }

    static void writeSplit(Path dir, Split split, int count, int rows, int cols, boolean gzipped)
            throws IOException {
        byte[] images = imagesBytes(IdxReader.IMAGES_MAGIC, count, rows, cols, pixels(count, rows, cols));
        byte[] labels = labelsBytes(IdxReader.LABELS_MAGIC, count, labels(count));
        String suffix = gzipped ? ".gz" : "";
        write(dir.resolve(split.imagesFileName() + suffix), gzipped ? gzip(images) : images);
        write(dir.resolve(split.labelsFileName() + suffix), gzipped ? gzip(labels) : labels);
    }
}
