package io.github.dl4jcinn.zoo.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {

    @TempDir
    Path dir;

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }

    @Test
    void greyGridHasExactSizeAndPixelsWhereExpected() throws IOException {
        // 5 images of 3x4 (H x W) into 2 rows x 3 cols, padding 2, upscale 3
        INDArray images = Nd4j.zeros(DataType.FLOAT, 5, 1, 3, 4);
        images.putScalar(new long[] {4, 0, 2, 3}, 0.5);  // image 4 -> row 1, col 1, pixel (y=2, x=3)
        images.putScalar(new long[] {0, 0, 0, 0}, 1.7);  // clipped to 1
        images.putScalar(new long[] {1, 0, 0, 0}, -0.3); // clipped to 0
        images.putScalar(new long[] {2, 0, 0, 0}, Float.NaN);
        images.putScalar(new long[] {3, 0, 1, 1}, 0.2);
        Path png = dir.resolve("sub/grid.png");

        ImageGrid.write(images, 2, 3, 2, 3, png);

        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(3 * 4 * 3 + 4 * 2).isEqualTo(ImageGrid.gridWidth(3, 4, 2, 3));
        assertThat(img.getHeight()).isEqualTo(2 * 3 * 3 + 3 * 2).isEqualTo(ImageGrid.gridHeight(2, 3, 2, 3));
        assertThat(img.getRaster().getNumBands()).isEqualTo(1);

        // image 4: tile origin x = 2 + 1 * (12 + 2) = 16, y = 2 + 1 * (9 + 2) = 13; pixel (2,3) is a 3x3 block
        for (int d = 0; d < 9; d++) {
            assertThat(grey(img, 16 + 3 * 3 + d % 3, 13 + 2 * 3 + d / 3)).isEqualTo(128);
        }
        assertThat(grey(img, 16 + 3 * 3 - 1, 13 + 2 * 3)).isZero(); // its left neighbour pixel is black
        assertThat(grey(img, 2, 2)).isEqualTo(255);               // image 0 (0,0): 1.7 clipped
        assertThat(grey(img, 16, 2)).isZero();                     // image 1 (0,0): -0.3 clipped
        assertThat(grey(img, 30, 2)).isZero();                     // image 2 (0,0): NaN -> 0
        assertThat(grey(img, 2 + 3, 13 + 3)).isEqualTo(51);        // image 3 (1,1): 0.2 * 255
        assertThat(grey(img, 0, 0)).isEqualTo(255);                // outer padding
        assertThat(grey(img, 14, 5)).isEqualTo(255);               // padding between columns 0 and 1
        assertThat(grey(img, 30 + 5, 13 + 5)).isEqualTo(255);      // empty cell (row 1, col 2)
    }

    @Test
    void rgbGridKeepsChannels() throws IOException {
        INDArray rgb = Nd4j.zeros(DataType.FLOAT, 1, 3, 2, 2);
        rgb.putScalar(new long[] {0, 0, 0, 1}, 1.0);  // red at (y=0, x=1)
        rgb.putScalar(new long[] {0, 2, 1, 0}, 1.0);  // blue at (y=1, x=0)
        rgb.putScalar(new long[] {0, 1, 1, 1}, 0.5);  // half green at (y=1, x=1)
        Path png = dir.resolve("rgb.png");
        ImageGrid.write(rgb, 1, 1, 0, 1, png);

        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(2);
        assertThat(img.getHeight()).isEqualTo(2);
        assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(img.getRGB(0, 1) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThat(img.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0x008000);
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isZero();
    }

    @Test
    void twoDimensionalArrangementWithRaggedRowsAndMixedCellRanks() throws IOException {
        INDArray white = Nd4j.ones(DataType.FLOAT, 1, 2, 3);   // [C, H, W]
        INDArray grey = Nd4j.zeros(DataType.FLOAT, 2, 3).addi(0.4); // [H, W]
        INDArray black = Nd4j.zeros(DataType.FLOAT, 1, 1, 2, 3);    // [1, C, H, W]
        INDArray[][] cells = {
            {black, grey, black},
            {grey, null},
        };
        Path png = dir.resolve("arranged.png");
        ImageGrid.write(cells, 1, 2, png);

        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(3 * 3 * 2 + 4);
        assertThat(img.getHeight()).isEqualTo(2 * 2 * 2 + 3);
        assertThat(grey(img, 1, 1)).isZero();                  // row 0, col 0: black
        assertThat(grey(img, 1 + 7, 1)).isEqualTo(102);        // row 0, col 1: 0.4 * 255
        assertThat(grey(img, 1, 1 + 5)).isEqualTo(102);        // row 1, col 0
        assertThat(grey(img, 1 + 7 + 1, 1 + 5 + 1)).isEqualTo(255); // row 1, col 1: null cell stays white
        assertThat(white.rank()).isEqualTo(3);
        assertThat(ImageGrid.render(new INDArray[][] {{white}}, 0, 1).getRaster().getSample(0, 0, 0))
                .isEqualTo(255);
    }

    @Test
    void rejectsWhatCannotBeDrawn() {
        assertThatThrownBy(() -> ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 5, 1, 2, 2), 2, 2, 0, 1))
                .hasMessageContaining("5 images do not fit a 2x2 grid");
        assertThatThrownBy(() -> ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 1, 2, 2, 2), 1, 1, 0, 1))
                .hasMessageContaining("1 (grey) or 3 (RGB) channels, got 2");
        assertThatThrownBy(() -> ImageGrid.render(Nd4j.zeros(DataType.FLOAT, 4, 4), 1, 1, 0, 1))
                .hasMessageContaining("[N, C, H, W]");
        assertThatThrownBy(() -> ImageGrid.render(new INDArray[][] {
            {Nd4j.zeros(DataType.FLOAT, 2, 2), Nd4j.zeros(DataType.FLOAT, 3, 3)}}, 0, 1))
                .hasMessageContaining("same [C, H, W]");
        assertThat(Files.exists(dir.resolve("nothing.png"))).isFalse();
    }
}
