package io.github.dl4jcinn.zoo.color;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Colorization examples in Lab, ready for batching: per tile the lightness L ({@code lSize x lSize}) and the chroma
 * a, b ({@code abSize x abSize}, box-averaged from the tile when smaller), all in Lab units, plus which photo each
 * tile came from. Batches are built as the colorization graphs expect them: {@code L/100} and standardised
 * {@code (ab − mean)/std}.
 */
public final class LabData {

    private final int n;
    private final int lSize;
    private final int abSize;
    private final float[] l;
    private final float[] ab;
    private final List<String> photo;

    private LabData(int n, int lSize, int abSize, float[] l, float[] ab, List<String> photo) {
        this.n = n;
        this.lSize = lSize;
        this.abSize = abSize;
        this.l = l;
        this.ab = ab;
        this.photo = photo;
    }

    /** Converts tiles (of side {@code lSize}) to Lab. */
    public static LabData of(List<PhotoTileSet> photos, int lSize, int abSize) {
        int total = PhotoTiles.count(photos);
        int lPix = lSize * lSize;
        int abPix = abSize * abSize;
        float[] l = new float[total * lPix];
        float[] ab = new float[total * 2 * abPix];
        List<String> ids = new ArrayList<>(total);
        double[] px = new double[3];
        double[] a = new double[lPix];
        double[] b = new double[lPix];
        int t = 0;
        for (PhotoTileSet p : photos) {
            if (p.tileSize() != lSize) {
                throw new IllegalArgumentException("tiles of " + p.photoId() + " are " + p.tileSize()
                        + " px, the model's L is " + lSize);
            }
            for (int k = 0; k < p.count(); k++, t++) {
                for (int y = 0; y < lSize; y++) {
                    for (int x = 0; x < lSize; x++) {
                        LabColor.rgb8ToLab(p.sample(k, x, y, 0), p.sample(k, x, y, 1), p.sample(k, x, y, 2), px);
                        int i = y * lSize + x;
                        l[t * lPix + i] = (float) px[0];
                        a[i] = px[1];
                        b[i] = px[2];
                    }
                }
                double[] as = LabImages.resize(a, lSize, lSize, abSize, abSize);
                double[] bs = LabImages.resize(b, lSize, lSize, abSize, abSize);
                for (int i = 0; i < abPix; i++) {
                    ab[(2 * t) * abPix + i] = (float) as[i];
                    ab[(2 * t + 1) * abPix + i] = (float) bs[i];
                }
                ids.add(p.photoId());
            }
        }
        return new LabData(total, lSize, abSize, l, ab, ids);
    }

    public int size() { return n; }
    public int lSize() { return lSize; }
    public int abSize() { return abSize; }

    /** Photo id of tile {@code i}. */
    public String photo(int i) { return photo.get(i); }

    /** Per-channel mean of a and b over all pixels of all tiles (Lab units). */
    public double[] abMean() {
        double[] m = new double[2];
        int pix = abSize * abSize;
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < pix; i++) {
                    m[c] += ab[(2 * t + c) * pix + i];
                }
            }
        }
        m[0] /= (double) n * pix;
        m[1] /= (double) n * pix;
        return m;
    }

    /** Per-channel standard deviation of a and b (Lab units). */
    public double[] abStd() {
        double[] m = abMean();
        double[] s = new double[2];
        int pix = abSize * abSize;
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < pix; i++) {
                    double d = ab[(2 * t + c) * pix + i] - m[c];
                    s[c] += d * d;
                }
            }
        }
        return new double[]{Math.sqrt(s[0] / ((double) n * pix)), Math.sqrt(s[1] / ((double) n * pix))};
    }

    /** Graph input {@code L/100}, {@code [k, 1, lSize, lSize]}; {@code flip[j]} mirrors example j horizontally. */
    public INDArray lInput(int[] idx, boolean[] flip) {
        int pix = lSize * lSize;
        float[] out = new float[idx.length * pix];
        for (int j = 0; j < idx.length; j++) {
            copy(l, idx[j] * pix, out, j * pix, lSize, flip != null && flip[j], 0.01f, 0f);
        }
        return Nd4j.create(out, new long[]{idx.length, 1, lSize, lSize}, 'c');
    }

    /** a, b in Lab units, {@code [k, 2, abSize, abSize]}. */
    public INDArray abLab(int[] idx) {
        return abScaled(idx, null, new double[]{0, 0}, new double[]{1, 1});
    }

    /** Graph input {@code (ab − mean)/std}, {@code [k, 2, abSize, abSize]}. */
    public INDArray abInput(int[] idx, boolean[] flip, double[] mean, double[] std) {
        return abScaled(idx, flip, mean, std);
    }

    private INDArray abScaled(int[] idx, boolean[] flip, double[] mean, double[] std) {
        int pix = abSize * abSize;
        float[] out = new float[idx.length * 2 * pix];
        for (int j = 0; j < idx.length; j++) {
            for (int c = 0; c < 2; c++) {
                copy(ab, (2 * idx[j] + c) * pix, out, (2 * j + c) * pix, abSize, flip != null && flip[j],
                        (float) (1 / std[c]), (float) (-mean[c] / std[c]));
            }
        }
        return Nd4j.create(out, new long[]{idx.length, 2, abSize, abSize}, 'c');
    }

    /** L plane of tile i (Lab units). */
    public double[] lPlane(int i) {
        int pix = lSize * lSize;
        double[] out = new double[pix];
        for (int k = 0; k < pix; k++) {
            out[k] = l[i * pix + k];
        }
        return out;
    }

    /** Random horizontal flips for a batch. */
    public static boolean[] randomFlips(int k, SplittableRandom rng) {
        boolean[] f = new boolean[k];
        for (int i = 0; i < k; i++) {
            f[i] = rng.nextBoolean();
        }
        return f;
    }

    private static void copy(float[] src, int from, float[] dst, int to, int side, boolean flip, float scale,
                             float shift) {
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int sx = flip ? side - 1 - x : x;
                dst[to + y * side + x] = src[from + y * side + sx] * scale + shift;
            }
        }
    }
}
