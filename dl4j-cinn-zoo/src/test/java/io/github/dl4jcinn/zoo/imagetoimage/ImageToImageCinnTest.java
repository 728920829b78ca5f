package io.github.dl4jcinn.zoo.imagetoimage;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.zoo.color.PhotoTileSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ImageToImageCinnTest {

    static List<PhotoTileSet> photos(int n, int size) {
        SplittableRandom rng = new SplittableRandom(3);
        byte[] rgb = new byte[n * size * size * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) rng.nextInt(256);
        }
        return List.of(new PhotoTileSet("noise", size, n, rgb));
    }

    @Test
    void derivedSuperResolutionPairsAverageBlocks() {
        PairedImages p = PairedImages.superResolution(photos(2, 16), 4);
        assertThat(p.size()).isEqualTo(2);
        INDArray y = p.conditions(new int[]{1});
        INDArray x = p.targets(new int[]{1});
        double block = x.get(NDArrayIndex.point(0), NDArrayIndex.point(2), NDArrayIndex.interval(4, 8),
                NDArrayIndex.interval(8, 12)).meanNumber().doubleValue();
        assertThat(y.getDouble(0, 2, 5, 9)).isCloseTo(block, org.assertj.core.api.Assertions.within(1e-5));
        assertThat(p.description()).contains("derived");
    }

    @Test
    void pyramidConditionedCinnTrainsAndInverts() {
        ImageToImageCinn.Config c = ImageToImageCinn.tiny();
        ComputationGraph g = ImageToImageCinn.init(c);
        assertThat(g.getConfiguration().getNetworkInputs()).containsExactly("y", "x");
        // every CCB reads a head from the ResNet pyramid, concatenated with y pooled to its resolution
        assertThat(g.getConfiguration().getVertexInputs().get("h0-0-cat")).containsExactly("h0-0-up", "y");
        assertThat(g.getConfiguration().getVertexInputs().get("h2-0-cat")).containsExactly("h2-0-bn", "ypool4");
        PairedImages p = PairedImages.superResolution(photos(6, 16), 4);
        SplittableRandom rng = new SplittableRandom(1);
        INDArray before = g.getLayer("stem-cnn1").params().dup();
        for (int i = 0; i < 3; i++) {
            g.fit(p.batch(new int[]{0, 1, 2, 3}, 0.02, rng));
        }
        assertThat(g.score()).isFinite();
        assertThat(g.getLayer("stem-cnn1").params()).as("ResNet trained jointly").isNotEqualTo(before);

        CinnInverse inv = CinnInverse.of(g);
        MultiDataSet b = p.batch(new int[]{4, 5}, 0, rng);
        INDArray flow = inv.encode(Map.of("y", b.getFeatures(0), "x", b.getFeatures(1)));
        INDArray z = flow.get(NDArrayIndex.all(), NDArrayIndex.interval(0, inv.latentSize()));
        assertThat(inv.decode(z, Map.of("y", b.getFeatures(0))).x().sub(b.getFeatures(1)).amaxNumber().doubleValue())
                .isLessThan(1e-4);
    }

    @Test
    void aBackboneCutDeeperThanTheFlowNeedsIsRejectedClearly() {
        ImageToImageCinn.Config c = ImageToImageCinn.tiny();
        c.stage = "3";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageToImageCinn.init(c))
                .hasMessageContaining("cut the backbone at an earlier stage");
    }

    @Test
    void dayNightCommandWritesSamples(@TempDir Path dir) throws Exception {
        BufferedImage day = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
        BufferedImage night = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
        for (int yy = 0; yy < 64; yy++) {
            for (int xx = 0; xx < 128; xx++) {
                day.setRGB(xx, yy, xx < 64 ? 0x3060C0 : 0x40A040);
                night.setRGB(xx, yy, xx < 64 ? 0x000010 : ((xx + yy) % 7 == 0 ? 0xFFE080 : 0x050505));
            }
        }
        ImageIO.write(day, "jpg", dir.resolve("xplanet__earth.jpg").toFile());
        ImageIO.write(night, "jpg", dir.resolve("xplanet__night.jpg").toFile());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = new ImageToImageCommand(new PrintStream(buf, true, StandardCharsets.UTF_8)).run("train", "--pairs",
                "xplanet", "--pairs-dir", dir.toString(), "--out", dir.resolve("run").toString(), "--preset", "tiny",
                "--iterations", "2", "--samples", "2");
        assertThat(code).as(buf.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(dir.resolve("run/samples.png")).exists();
        assertThat(dir.resolve("run/metrics.json")).exists();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("real pair, toy", "384 train, 128 test");
    }
}
