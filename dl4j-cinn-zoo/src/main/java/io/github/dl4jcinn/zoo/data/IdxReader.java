package io.github.dl4jcinn.zoo.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or raw. Compression is detected from the
 * gzip magic bytes, not the file name, because the same files circulate both ways and renamed copies are common.
 *
 * <p>Layout: a big-endian int magic {@code 0x000008NN} (0x08 = unsigned byte, NN = number of dimensions), NN
 * big-endian int dimension sizes, then the unsigned bytes. Everything is validated (magic, dimensions, that the
 * data length equals the product of the dimensions, image/label counts of a pair) and every failure names the
 * file, what was expected and what was found, so a bad download is diagnosed from the message alone.
 */
public final class IdxReader {

    /** Magic of an IDX file of unsigned bytes with 3 dimensions (count, rows, cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an IDX file of unsigned bytes with 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private IdxReader() {
    }

    /** Reads an image file (magic 0x00000803: count x rows x cols unsigned bytes). */
    public static IdxImages readImages(Path file) throws IOException {
        try (InputStream in = open(file)) {
            int magic = readHeaderInt(in, file, 0, 16);
            checkMagic(file, magic, IMAGES_MAGIC, "IDX unsigned-byte images, 3 dimensions: count x rows x cols");
            int count = readHeaderInt(in, file, 4, 16);
            int rows = readHeaderInt(in, file, 8, 16);
            int cols = readHeaderInt(in, file, 12, 16);
            checkDimension(file, "image count", count, 0);
            checkDimension(file, "rows", rows, 1);
            checkDimension(file, "cols", cols, 1);
            long expected = (long) count * rows * cols;
            byte[] pixels = readExactly(in, file, expected, count + "x" + rows + "x" + cols);
            return new IdxImages(count, rows, cols, pixels);
        } catch (ZipException e) {
            throw corruptGzip(file, e);
        }
    }

    /** Reads a label file (magic 0x00000801: count unsigned bytes); each byte becomes an int 0..255. */
    public static int[] readLabels(Path file) throws IOException {
        try (InputStream in = open(file)) {
            int magic = readHeaderInt(in, file, 0, 8);
            checkMagic(file, magic, LABELS_MAGIC, "IDX unsigned-byte labels, 1 dimension: count");
            int count = readHeaderInt(in, file, 4, 8);
            checkDimension(file, "label count", count, 0);
            byte[] bytes = readExactly(in, file, count, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        } catch (ZipException e) {
            throw corruptGzip(file, e);
        }
    }

    /** Reads an image file and its label file and checks that they hold the same number of examples. */
    public static LabeledImages readLabeled(Path imagesFile, Path labelsFile) throws IOException {
        IdxImages images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw new IdxFormatException("count mismatch: images file " + imagesFile + " has " + images.count()
                    + " images but labels file " + labelsFile + " has " + labels.length + " labels");
        }
        return LabeledImages.of(images, labels);
    }

    /** Whether the file starts with the gzip magic bytes 1f 8b. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1;
        }
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw missing(file);
        }
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw missing(file);
        }
        raw.mark(2);
        boolean gzip = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
        raw.reset();
        if (!gzip) {
            return raw;
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        } catch (IOException e) {
            raw.close();
            throw corruptGzip(file, e);
        }
    }

    private static DatasetNotFoundException missing(Path file) {
        String note = Files.isDirectory(file) ? "a directory, not a file" : "no such file";
        return new DatasetNotFoundException("IDX file " + file.getFileName(), List.of(file), List.of(note),
                DigitDataset.howToObtainAny());
    }

    private static IdxFormatException corruptGzip(Path file, IOException e) {
        return new IdxFormatException(file + ": starts with the gzip magic 1f 8b but is not a valid gzip stream ("
                + e.getMessage() + "); the download is probably corrupt", e);
    }

    private static int readHeaderInt(InputStream in, Path file, int offset, int headerBytes) throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b;
            try {
                b = in.read();
            } catch (EOFException e) {
                b = -1;
            }
            if (b < 0) {
                throw new IdxFormatException(file + ": truncated IDX header: expected " + headerBytes
                        + " header bytes, file has " + (offset + i));
            }
            value = (value << 8) | b;
        }
        return value;
    }

    private static void checkMagic(Path file, int found, int expected, String meaning) throws IdxFormatException {
        if (found != expected) {
            throw new IdxFormatException(String.format("%s: expected magic 0x%08X (%s), found 0x%08X%s",
                    file, expected, meaning, found, describeMagic(found)));
        }
    }

    /** Explains a wrong magic, e.g. a label file passed where images are expected. */
    private static String describeMagic(int magic) {
        if ((magic & 0xFFFFFF00) == 0x00000800) {
            int dims = magic & 0xFF;
            String guess = dims == 1 ? " - a label file?" : dims == 3 ? " - an image file?" : "";
            return " (IDX unsigned-byte, " + dims + (dims == 1 ? " dimension" : " dimensions") + guess + ")";
        }
        if ((magic & 0xFFFF0000) == 0 && ((magic >> 8) & 0xFF) >= 0x09 && ((magic >> 8) & 0xFF) <= 0x0E) {
            return " (IDX with element type 0x" + Integer.toHexString((magic >> 8) & 0xFF)
                    + ", not unsigned byte)";
        }
        return " (not an IDX file)";
    }

    private static void checkDimension(Path file, String name, int value, int min) throws IdxFormatException {
        if (value < min) {
            throw new IdxFormatException(file + ": expected " + name + " >= " + min + " in the IDX header, found "
                    + value);
        }
    }

    /** Reads exactly {@code expected} bytes and checks that nothing follows them. */
    private static byte[] readExactly(InputStream in, Path file, long expected, String shape) throws IOException {
        if (expected > Integer.MAX_VALUE - 16) {
            throw new IdxFormatException(file + ": header says " + shape + " = " + expected
                    + " bytes, more than fits in one Java array; not an MNIST-sized file");
        }
        byte[] data = new byte[(int) expected];
        int filled = 0;
        boolean gzipCutShort = false;
        while (filled < data.length) {
            int n;
            try {
                n = in.read(data, filled, data.length - filled);
            } catch (EOFException e) {
                // a gzip stream cut off mid-way ends with EOFException rather than -1
                gzipCutShort = true;
                n = -1;
            }
            if (n < 0) {
                throw new IdxFormatException(file + ": truncated: header says " + shape + " = " + expected
                        + " bytes, file has " + filled + (gzipCutShort ? " (gzip stream ends early)" : ""));
            }
            filled += n;
        }
        long extra;
        try {
            extra = in.transferTo(OutputStream.nullOutputStream());
        } catch (EOFException e) {
            throw new IdxFormatException(file + ": all " + expected + " bytes of data are present but the gzip"
                    + " stream after them is cut off; the download is probably incomplete", e);
        }
        if (extra > 0) {
            throw new IdxFormatException(file + ": header says " + shape + " = " + expected
                    + " bytes, but file has " + extra + " more bytes after them");
        }
        return data;
    }
}
