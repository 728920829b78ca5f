package io.github.dl4jcinn.zoo.color;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Small generated "photos" with colour that depends on brightness and position, written as PNG/JPEG. */
final class SyntheticPhotos {
    private SyntheticPhotos() {}

    /** Sky (blue, bright) over grass (green, darker) with a random horizon and speckle. */
    static BufferedImage landscape(int w, int h, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int horizon = h / 3 + rng.nextInt(Math.max(1, h / 3));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r, g, b;
                double v = 0.8 + 0.2 * rng.nextDouble();
                if (y < horizon) {
                    r = (int) (90 * v); g = (int) (150 * v); b = (int) (230 * v);
                } else {
                    r = (int) (60 * v); g = (int) (140 * v); b = (int) (40 * v);
                }
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    static Path write(Path dir, String name, BufferedImage img) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        String format = name.endsWith(".jpg") ? "jpg" : "png";
        if (!ImageIO.write(img, format, p.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return p;
    }
}
