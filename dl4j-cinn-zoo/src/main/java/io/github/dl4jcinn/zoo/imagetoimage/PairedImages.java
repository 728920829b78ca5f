package io.github.dl4jcinn.zoo.imagetoimage;

import io.github.dl4jcinn.zoo.color.PhotoTileSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Aligned (condition y, target x) RGB pairs in [0, 1], {@code size x size}, for {@link ImageToImageCinn}.
 * Two sources, and which is which matters when reading results:
 * <ul>
 *   <li>{@link #dayNight}: <b>real</b> but a toy: the one aligned NASA Earth day/night pair of Debian's
 *       {@code xplanet-images} ({@code earth.jpg}, {@code night.jpg}), scaled to {@code 512 x 256} and cut into
 *       tiles; tiles of the left three quarters train, the right quarter tests (different regions of one planet).</li>
 *   <li>{@link #superResolution}: <b>derived</b> from ordinary photos: y is the photo tile averaged over
 *       {@code factor x factor} blocks (a blocky low-resolution version at the same size), x the tile itself.</li>
 * </ul>
 */
public final class PairedImages {

    private final int n;
    private final int size;
    private final float[] y;
    private final float[] x;
    private final String description;

    private PairedImages(int n, int size, float[] y, float[] x, String description) {
        this.n = n;
        this.size = size;
        this.y = y;
        this.x = x;
        this.description = description;
    }

    public int size() { return n; }
    public int imageSize() { return size; }
    public String description() { return description; }

    /** Train (left 3/4 of the map) and test (right 1/4) tiles of the xplanet day/night pair. */
    public static List<PairedImages> dayNight(Path day, Path night, int size) throws IOException {
        int w = 512;
        int h = 256;
        float[][] d = rgb(read(day), w, h);
        float[][] nn = rgb(read(night), w, h);
        int cols = w / size;
        int rows = h / size;
        int trainCols = cols * 3 / 4;
        PairedImages train = tiles(d, nn, w, size, rows, 0, trainCols, "xplanet day->night (real pair, toy), left 3/4");
        PairedImages test = tiles(d, nn, w, size, rows, trainCols, cols, "xplanet day->night (real pair, toy), right 1/4");
        return List.of(train, test);
    }

    /** Derived pairs: y = block-averaged ({@code factor}) version of each photo tile, x = the tile. */
    public static PairedImages superResolution(List<PhotoTileSet> photos, int factor) {
        int total = photos.stream().mapToInt(PhotoTileSet::count).sum();
        int size = photos.get(0).tileSize();
        if (size % factor != 0) {
            throw new IllegalArgumentException("tile size " + size + " is not a multiple of " + factor);
        }
        int per = 3 * size * size;
        float[] x = new float[total * per];
        float[] y = new float[total * per];
        int t = 0;
        for (PhotoTileSet p : photos) {
            for (int k = 0; k < p.count(); k++, t++) {
                for (int c = 0; c < 3; c++) {
                    for (int yy = 0; yy < size; yy++) {
                        for (int xx = 0; xx < size; xx++) {
                            x[t * per + (c * size + yy) * size + xx] = p.sample(k, xx, yy, c) / 255f;
                        }
                    }
                    for (int by = 0; by < size; by += factor) {
                        for (int bx = 0; bx < size; bx += factor) {
                            float m = 0;
                            for (int dy = 0; dy < factor; dy++) {
                                for (int dx = 0; dx < factor; dx++) {
                                    m += x[t * per + (c * size + by + dy) * size + bx + dx];
                                }
                            }
                            m /= factor * factor;
                            for (int dy = 0; dy < factor; dy++) {
                                for (int dx = 0; dx < factor; dx++) {
                                    y[t * per + (c * size + by + dy) * size + bx + dx] = m;
                                }
                            }
                        }
                    }
                }
            }
        }
        return new PairedImages(total, size, y, x, "super-resolution x" + factor + " (derived from photos)");
    }

    /** Conditions {@code [k, 3, s, s]}. */
    public INDArray conditions(int[] idx) {
        return gather(y, idx);
    }

    /** Targets {@code [k, 3, s, s]}. */
    public INDArray targets(int[] idx) {
        return gather(x, idx);
    }

    /** A training batch {@code [y, x + noise]} with dummy labels; {@code sigma} Gaussian noise on x. */
    public MultiDataSet batch(int[] idx, double sigma, SplittableRandom rng) {
        INDArray xs = targets(idx);
        if (sigma > 0) {
            float[] noise = new float[(int) xs.length()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (sigma * rng.nextGaussian());
            }
            xs.addi(Nd4j.create(noise, xs.shape(), 'c'));
        }
        return new MultiDataSet(new INDArray[]{conditions(idx), xs}, new INDArray[]{Nd4j.zeros(idx.length, 1)});
    }

    private INDArray gather(float[] src, int[] idx) {
        int per = 3 * size * size;
        float[] out = new float[idx.length * per];
        for (int j = 0; j < idx.length; j++) {
            System.arraycopy(src, idx[j] * per, out, j * per, per);
        }
        return Nd4j.create(out, new long[]{idx.length, 3, size, size}, 'c');
    }

    private static PairedImages tiles(float[][] d, float[][] nn, int w, int size, int rows, int c0, int c1,
                                      String description) {
        int count = rows * (c1 - c0);
        int per = 3 * size * size;
        float[] y = new float[count * per];
        float[] x = new float[count * per];
        int t = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = c0; c < c1; c++, t++) {
                for (int ch = 0; ch < 3; ch++) {
                    for (int yy = 0; yy < size; yy++) {
                        for (int xx = 0; xx < size; xx++) {
                            int src = (r * size + yy) * w + c * size + xx;
                            int dst = t * per + (ch * size + yy) * size + xx;
                            y[dst] = d[ch][src];
                            x[dst] = nn[ch][src];
                        }
                    }
                }
            }
        }
        return new PairedImages(count, size, y, x, description);
    }

    /** Planar RGB in [0, 1] of an image smoothly scaled to {@code w x h}. */
    private static float[][] rgb(BufferedImage img, int w, int h) {
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = scaled.createGraphics();
        g.drawImage(img.getScaledInstance(w, h, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        float[][] out = new float[3][w * h];
        int[] argb = scaled.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            out[0][i] = ((argb[i] >> 16) & 0xFF) / 255f;
            out[1][i] = ((argb[i] >> 8) & 0xFF) / 255f;
            out[2][i] = (argb[i] & 0xFF) / 255f;
        }
        return out;
    }

    private static BufferedImage read(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) {
            throw new IOException("cannot read image " + p);
        }
        return img;
    }
}
