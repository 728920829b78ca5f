package io.github.dl4jcinn.zoo.latent;

import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.eval.DequantizedLikelihood;
import io.github.dl4jcinn.zoo.image.ImageGrid;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.testing.SyntheticDigits;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** PNG sizes of the figures and the invertibility they rely on, on a tiny model (Xavier init, non-zero last layer). */
class ConditionalFiguresTest {

    private static ConditionalFigures fig;
    private static final LabeledImages TEST = SyntheticDigits.make(20, 9);

    @BeforeAll
    static void model() {
        ComputationGraph g = MnistCinn.tiny().zeroInitLastLayer(false).init();
        fig = ConditionalFigures.of(g, 10);
    }

    @Test
    void sampleGridHasRowsOfTenLabelsAndTheRightPngSize(@TempDir Path dir) throws Exception {
        INDArray[][] cells = fig.sampleGrid(3, 0.8, 1);
        assertThat(cells).hasDimensions(3, 10);
        assertThat(cells[0][0].shape()).containsExactly(1, 28, 28);
        Path png = dir.resolve("samples.png");
        ImageGrid.write(cells, 2, 2, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(ImageGrid.gridWidth(10, 28, 2, 2)).isEqualTo(10 * 56 + 11 * 2);
        assertThat(img.getHeight()).isEqualTo(ImageGrid.gridHeight(3, 28, 2, 2));
        // rows share z but labels differ: columns are not all the same image
        assertThat(cells[0][0].equalsWithEps(cells[0][1], 1e-6)).isFalse();
    }

    @Test
    void transferShowsTheOriginalThenEveryLabelAndReproducesItWithItsOwnLabel(@TempDir Path dir) throws Exception {
        int[] idx = {0, 3, 7, 12};
        INDArray[][] cells = fig.transfer(TEST, idx);
        assertThat(cells).hasDimensions(4, 11);
        for (int r = 0; r < idx.length; r++) {
            INDArray original = DequantizedLikelihood.clean(TEST, idx[r], 1).reshape(1, 28, 28);
            assertThat(cells[r][0].equalsWithEps(original, 1e-6)).isTrue();
            INDArray ownLabel = cells[r][1 + TEST.label(idx[r])];
            assertThat(ownLabel.sub(original).amaxNumber().doubleValue()).isLessThan(1e-3);
        }
        Path png = dir.resolve("transfer.png");
        ImageGrid.write(cells, 2, 1, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(ImageGrid.gridWidth(11, 28, 2, 1));
        assertThat(img.getHeight()).isEqualTo(ImageGrid.gridHeight(4, 28, 2, 1));
    }

    @Test
    void principalDirectionsPlaneAndInterpolationHaveTheirShapesAndEndpoints() {
        INDArray z = fig.encodeAll(TEST, 20, 8);
        assertThat(z.shape()).containsExactly(20, 784);
        LatentPca pca = LatentPca.fit(z);
        assertThat(fig.principalDirection(pca, 0, 5, 2.0)).hasDimensions(10, 5);
        assertThat(fig.principalPlane(pca, 4, 2.0, 3)).hasDimensions(4, 4);
        INDArray[][] line = fig.interpolation(z.getRow(0), z.getRow(1), 6);
        assertThat(line).hasDimensions(10, 6);
        // ends of the line, under the images' own labels, give back the images
        INDArray a = DequantizedLikelihood.clean(TEST, 0, 1).reshape(1, 28, 28);
        INDArray b = DequantizedLikelihood.clean(TEST, 1, 1).reshape(1, 28, 28);
        assertThat(line[TEST.label(0)][0].sub(a).amaxNumber().doubleValue()).isLessThan(1e-3);
        assertThat(line[TEST.label(1)][5].sub(b).amaxNumber().doubleValue()).isLessThan(1e-3);
    }
}
