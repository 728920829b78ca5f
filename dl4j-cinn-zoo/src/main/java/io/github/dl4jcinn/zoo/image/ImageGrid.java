package io.github.dl4jcinn.zoo.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a grid of images (e.g. cINN samples, one row per class) as a PNG, using only {@code javax.imageio}.
 *
 * <p>Values are taken to be in [0, 1]; anything outside is clipped and NaN becomes 0, so a diverged model still
 * yields a viewable picture. A pixel value v is stored as {@code round(v * 255)}. One channel gives an 8-bit
 * grey PNG, three channels an RGB PNG.
 *
 * <p>Layout: tiles of {@code H*scale x W*scale} pixels separated by, and surrounded with, {@code padding}
 * white pixels, so the PNG is {@code cols*W*scale + (cols+1)*padding} wide and
 * {@code rows*H*scale + (rows+1)*padding} high. Upscaling repeats pixels (nearest neighbour) so
 * 28x28 digits stay sharp.
 */
public final class ImageGrid {

    /** Grey level (and RGB component) of padding and empty cells: white. */
    public static final int BACKGROUND = 255;

    private ImageGrid() {
    }

    /** Width in pixels of a grid of {@code cols} tiles {@code tileWidth} wide. */
    public static int gridWidth(int cols, int tileWidth, int padding, int scale) {
        return cols * tileWidth * scale + (cols + 1) * padding;
    }

    /** Height in pixels of a grid of {@code rows} tiles {@code tileHeight} high. */
    public static int gridHeight(int rows, int tileHeight, int padding, int scale) {
        return rows * tileHeight * scale + (rows + 1) * padding;
    }

    /**
     * Writes images {@code [N, C, H, W]} (C = 1 or 3) row by row into a {@code rows x cols} grid; cells after the
     * N-th stay white.
     */
    public static void write(INDArray images, int rows, int cols, int padding, int scale, Path png)
            throws IOException {
        writePng(render(images, rows, cols, padding, scale), png);
    }

    /** As {@link #write(INDArray, int, int, int, int, Path)} but returns the picture. */
    public static BufferedImage render(INDArray images, int rows, int cols, int padding, int scale) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException("expected images [N, C, H, W], got shape "
                    + Arrays.toString(images.shape()));
        }
        checkLayout(rows, cols, padding, scale);
        long n = images.size(0);
        if (n > (long) rows * cols) {
            throw new IllegalArgumentException(n + " images do not fit a " + rows + "x" + cols
                    + " grid; pass a slice of at most " + rows * cols);
        }
        int c = checkChannels(images.size(1));
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        float[] data = toFloats(images);
        Canvas canvas = new Canvas(rows, cols, c, h, w, padding, scale);
        int per = c * h * w;
        for (int i = 0; i < n; i++) {
            canvas.draw(i / cols, i % cols, data, i * per);
        }
        return canvas.image;
    }

    /**
     * Writes a 2-D arrangement: {@code images[r][k]} goes to row r, column k. Each cell is {@code [C, H, W]},
     * {@code [1, C, H, W]} or {@code [H, W]} (grey), all of the same shape; rows may differ in length (the grid
     * is as wide as the longest row) and {@code null} cells stay white.
     */
    public static void write(INDArray[][] images, int padding, int scale, Path png) throws IOException {
        writePng(render(images, padding, scale), png);
    }

    /** As {@link #write(INDArray[][], int, int, Path)} but returns the picture. */
    public static BufferedImage render(INDArray[][] images, int padding, int scale) {
        int rows = images.length;
        int cols = 0;
        long[] chw = null;
        for (INDArray[] row : images) {
            if (row == null) {
                continue;
            }
            cols = Math.max(cols, row.length);
            for (INDArray cell : row) {
                if (cell == null) {
                    continue;
                }
                long[] s = cellShape(cell);
                if (chw == null) {
                    chw = s;
                } else if (!Arrays.equals(chw, s)) {
                    throw new IllegalArgumentException("all cells must have the same [C, H, W], found "
                            + Arrays.toString(chw) + " and " + Arrays.toString(s));
                }
            }
        }
        if (chw == null) {
            throw new IllegalArgumentException("no images to draw (all cells null or empty)");
        }
        checkLayout(rows, cols, padding, scale);
        int c = checkChannels(chw[0]);
        Canvas canvas = new Canvas(rows, cols, c, (int) chw[1], (int) chw[2], padding, scale);
        for (int r = 0; r < rows; r++) {
            if (images[r] == null) {
                continue;
            }
            for (int k = 0; k < images[r].length; k++) {
                if (images[r][k] != null) {
                    canvas.draw(r, k, toFloats(images[r][k]), 0);
                }
            }
        }
        return canvas.image;
    }

    /** Writes any picture as PNG, creating parent directories. */
    public static void writePng(BufferedImage image, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer available in javax.imageio for " + png);
        }
    }

    private static long[] cellShape(INDArray cell) {
        long[] s = cell.shape();
        switch (cell.rank()) {
            case 2:
                return new long[] {1, s[0], s[1]};
            case 3:
                return s;
            case 4:
                if (s[0] == 1) {
                    return new long[] {s[1], s[2], s[3]};
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("a cell must be [C, H, W], [1, C, H, W] or [H, W], got "
                + Arrays.toString(s));
    }

    private static void checkLayout(int rows, int cols, int padding, int scale) {
        if (rows <= 0 || cols <= 0 || padding < 0 || scale <= 0) {
            throw new IllegalArgumentException("need rows, cols, scale > 0 and padding >= 0, got rows=" + rows
                    + " cols=" + cols + " padding=" + padding + " scale=" + scale);
        }
    }

    private static int checkChannels(long c) {
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("expected 1 (grey) or 3 (RGB) channels, got " + c);
        }
        return (int) c;
    }

    private static float[] toFloats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Maps v in [0, 1] to 0..255, clipping; NaN gives 0. */
    static int toByte(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255f);
    }

    /** The output picture plus the arithmetic of where tile (r, k) goes. */
    private static final class Canvas {
        final BufferedImage image;
        final WritableRaster raster;
        final int channels;
        final int h;
        final int w;
        final int padding;
        final int scale;

        Canvas(int rows, int cols, int channels, int h, int w, int padding, int scale) {
            int width = gridWidth(cols, w, padding, scale);
            int height = gridHeight(rows, h, padding, scale);
            this.image = new BufferedImage(width, height,
                    channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            this.raster = image.getRaster();
            this.channels = channels;
            this.h = h;
            this.w = w;
            this.padding = padding;
            this.scale = scale;
            for (int b = 0; b < raster.getNumBands(); b++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        raster.setSample(x, y, b, BACKGROUND);
                    }
                }
            }
        }

        /** Draws the CHW image starting at {@code data[offset]} into row r, column k. */
        void draw(int r, int k, float[] data, int offset) {
            int x0 = padding + k * (w * scale + padding);
            int y0 = padding + r * (h * scale + padding);
            int plane = h * w;
            int[] pixel = new int[channels];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < channels; ch++) {
                        pixel[ch] = toByte(data[offset + ch * plane + y * w + x]);
                    }
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setPixel(x0 + x * scale + dx, y0 + y * scale + dy, pixel);
                        }
                    }
                }
            }
        }
    }
}
