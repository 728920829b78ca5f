package io.github.dl4jcinn.zoo.conditioning;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Adler32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real {@code ZooModel.initPretrained} path, offline: a VGG16 subclass whose weights "URL" is a {@code file:}
 * zip this test writes (a VGG16 at 1/8 width, so the file is small), with its true Adler32, in a temporary cache.
 * No test here can reach a network download: the URL is a local file, and the offline loader refuses before
 * DL4J is called when the cache file is missing.
 */
class PretrainedWeightsTest {

    @TempDir
    static Path shared;
    static Path zip;
    static long checksum;
    static ComputationGraph saved;

    @BeforeAll
    static void writeSmallPretrainedModel() throws IOException {
        VGG16 stock = VGG16.builder().numClasses(2).inputShape(new int[]{3, 32, 32}).build();
        saved = new ComputationGraph(Backbones.scaleWidths(stock.conf(), 0.125));
        saved.init();
        zip = shared.resolve("vgg16-small-weights.zip");
        ModelSerializer.writeModel(saved, zip.toFile(), false);
        Adler32 adler = new Adler32();
        adler.update(Files.readAllBytes(zip));
        checksum = adler.getValue();
    }

    /** VGG16 with its weights at a local file: the cache lookup, copy and checksum are DL4J's own code. */
    static VGG16 offlineVgg16(String name, long expectedChecksum) {
        return new VGG16(1234, new int[]{3, 224, 224}, 0, new Adam(1e-3), CacheMode.NONE, WorkspaceMode.ENABLED,
                ConvolutionLayer.AlgoMode.PREFER_FASTEST) {
            @Override
            public String pretrainedUrl(PretrainedType type) {
                return zip.toUri().toString();
            }

            @Override
            public long pretrainedChecksum(PretrainedType type) {
                return expectedChecksum;
            }

            @Override
            public String modelName() {
                return name;
            }
        };
    }

    @Test
    void cachedFileIsUsedAndCheckedWithoutAnyDownload(@TempDir Path cache) throws IOException {
        VGG16 model = offlineVgg16("vgg16-present", checksum);
        PretrainedWeights weights = PretrainedWeights.offline(cache);
        Path file = weights.cacheFile(model, PretrainedType.IMAGENET);
        assertThat(file).isEqualTo(cache.toAbsolutePath().resolve("models/vgg16-present/vgg16-small-weights.zip"));
        Files.createDirectories(file.getParent());
        Files.copy(zip, file);

        ComputationGraph restored = weights.load(model, PretrainedType.IMAGENET);
        assertThat(restored.params()).isEqualTo(saved.params());
    }

    @Test
    void missingFileIsReportedWithItsExpectedPathAndNothingIsFetched(@TempDir Path cache) {
        VGG16 model = offlineVgg16("vgg16-missing", checksum);
        PretrainedWeights weights = PretrainedWeights.offline(cache);
        assertThatThrownBy(() -> weights.load(model, PretrainedType.IMAGENET))
                .isInstanceOf(PretrainedWeights.PretrainedWeightsException.class)
                .hasMessageContaining("not in the local cache")
                .hasMessageContaining(cache.toAbsolutePath().resolve("models/vgg16-missing/vgg16-small-weights.zip")
                        .toString())
                .hasMessageContaining("Adler32 " + checksum)
                .satisfies(e -> assertThat(((PretrainedWeights.PretrainedWeightsException) e).corrupt()).isFalse());
        assertThat(cache.resolve("models/vgg16-missing/vgg16-small-weights.zip")).doesNotExist();
    }

    @Test
    void corruptFileFailsTheChecksumAndIsDeletedByDl4j(@TempDir Path cache) throws IOException {
        VGG16 model = offlineVgg16("vgg16-corrupt", checksum);
        PretrainedWeights weights = PretrainedWeights.offline(cache);
        Path file = weights.cacheFile(model, PretrainedType.IMAGENET);
        Files.createDirectories(file.getParent());
        byte[] bytes = Files.readAllBytes(zip);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);

        assertThatThrownBy(() -> weights.load(model, PretrainedType.IMAGENET))
                .isInstanceOf(PretrainedWeights.PretrainedWeightsException.class)
                .hasMessageContaining("failed its checksum")
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(((PretrainedWeights.PretrainedWeightsException) e).corrupt()).isTrue());
        assertThat(file).doesNotExist();
    }

    @Test
    void withDownloadsAllowedTheLocalUrlIsCopiedIntoTheCache(@TempDir Path cache) {
        VGG16 model = offlineVgg16("vgg16-fetched", checksum);
        PretrainedWeights weights = PretrainedWeights.allowingDownload(cache);
        ComputationGraph restored = weights.load(model, PretrainedType.IMAGENET);
        assertThat(weights.cacheFile(model, PretrainedType.IMAGENET)).exists();
        assertThat(restored.params()).isEqualTo(saved.params());
        File base = org.deeplearning4j.common.resources.DL4JResources.getBaseDirectory();
        assertThat(base.toPath().toAbsolutePath()).as("global DL4J cache restored").isNotEqualTo(cache.toAbsolutePath());
    }

    @Test
    void pretrainedBackboneKeepsTheWeightsAndFoldsTheFirstConvolutionForGreyInput(@TempDir Path cache)
            throws IOException {
        VGG16 model = offlineVgg16("vgg16-backbone", checksum);
        PretrainedWeights weights = PretrainedWeights.offline(cache);
        Path file = weights.cacheFile(model, PretrainedType.IMAGENET);
        Files.createDirectories(file.getParent());
        Files.copy(zip, file);

        Backbone b = Backbones.vgg16(new Backbones.Options().input("L", 1, 32, 32).pretrained(weights)
                .zooModel(model));
        assertThat(b.graph().getLayer("8").params()).isEqualTo(saved.getLayer("8").params());
        assertThat(b.graph().getLayer("4").params()).isEqualTo(saved.getLayer("4").params());

        // grey input v in [0,1] through the folded 1-channel conv == the pretrained RGB conv on (255 v - mean)
        Nd4j.getRandom().setSeed(5);
        INDArray v = Nd4j.rand(1, 1, 32, 32);
        INDArray rgb = v.mul(255).repeat(1, 3);
        for (int c = 0; c < 3; c++) {
            rgb.get(NDArrayIndex.all(), NDArrayIndex.point(c)).subi(Backbones.IMAGENET_MEAN_RGB[c]);
        }
        INDArray expected = saved.feedForward(rgb.reshape('c', 1, 3 * 32 * 32), false).get("0");
        INDArray actual = b.graph().feedForward(v, false).get("0");
        // away from the zero-padded border, where the folded mean differs from a padded (255 v - mean) image
        INDArray inner = expected.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 31),
                NDArrayIndex.interval(1, 31));
        INDArray innerActual = actual.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 31),
                NDArrayIndex.interval(1, 31));
        double scale = inner.amaxNumber().doubleValue();
        assertThat(innerActual.sub(inner).amaxNumber().doubleValue()).isLessThan(1e-4 * Math.max(1, scale));
    }
}
