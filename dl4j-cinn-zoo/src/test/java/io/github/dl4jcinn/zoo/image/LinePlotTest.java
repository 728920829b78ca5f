package io.github.dl4jcinn.zoo.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

    @TempDir
    Path dir;

    private static int countColour(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void writesAPngOfTheRequestedSizeWithBothSeriesDrawn() throws IOException {
        double[] epochs = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] train = {2.9, 2.1, 1.7, 1.5, 1.4, 1.35, 1.3, 1.28};
        double[] test = {3.0, 2.3, 1.9, 1.7, Double.NaN, 1.6, 1.58, 1.57};
        Path png = dir.resolve("plots/curves.png");

        new LinePlot("cINN on MNIST").xLabel("epoch").yLabel("bits/dim")
                .addSeries("train", epochs, train).addSeries("test", epochs, test)
                .size(640, 400).write(png);

        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(1000);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(400);
        assertThat(countColour(img, 0x1f77b4)).as("first series colour").isGreaterThan(100);
        assertThat(countColour(img, 0xd62728)).as("second series colour").isGreaterThan(100);
    }

    @Test
    void logScaleSkipsNonPositiveValuesAndEmptyPlotsStillRender() throws IOException {
        double[] loss = {1000, 120, 15, 3, 0.5, 0, -1, 0.02};
        Path png = dir.resolve("log.png");
        new LinePlot("loss").yLabel("loss").logY(true).addSeries("loss", loss).write(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);
        assertThat(countColour(img, 0x1f77b4)).isGreaterThan(100);

        BufferedImage empty = new LinePlot(null).render();
        assertThat(empty.getWidth()).isEqualTo(800);
        BufferedImage narrowLog = new LinePlot("narrow").logY(true)
                .addSeries("a", new double[] {1.21, 1.25, 1.3}).render();
        assertThat(countColour(narrowLog, 0x1f77b4)).isGreaterThan(50);
    }
}
