package io.github.dl4jcinn.zoo.color;

import java.awt.image.BufferedImage;

/** Pixel-array resizing used for photos and colorizations; plain Java, planar {@code [channel][y * w + x]}. */
final class Resampling {

    private Resampling() {}

    /** Planar 8-bit RGB of any image (grey images give R = G = B). */
    static int[][] toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int[][] out = new int[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            out[0][i] = (argb[i] >> 16) & 0xFF;
            out[1][i] = (argb[i] >> 8) & 0xFF;
            out[2][i] = argb[i] & 0xFF;
        }
        return out;
    }

    /** Area-averaging (box filter with fractional pixel coverage) resize of integer planes; for shrinking. */
    static int[][] boxResize(int[][] planes, int w, int h, int nw, int nh) {
        double[][] d = new double[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            d[c] = new double[planes[c].length];
            for (int i = 0; i < d[c].length; i++) {
                d[c][i] = planes[c][i];
            }
        }
        double[][] r = boxResize(d, w, h, nw, nh);
        int[][] out = new int[planes.length][nw * nh];
        for (int c = 0; c < planes.length; c++) {
            for (int i = 0; i < out[c].length; i++) {
                out[c][i] = (int) Math.max(0, Math.min(255, Math.round(r[c][i])));
            }
        }
        return out;
    }

    /** Area-averaging resize of real-valued planes (shrinking; for enlarging use {@link #bilinear}). */
    static double[][] boxResize(double[][] planes, int w, int h, int nw, int nh) {
        double[][] out = new double[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            double[] rows = resize1d(planes[c], w, h, nw, true);
            out[c] = resize1d(rows, nw, h, nh, false);
        }
        return out;
    }

    /** Box filter along x (horizontal) or y; {@code w x h} in, new length {@code n} along that axis. */
    private static double[] resize1d(double[] src, int w, int h, int n, boolean alongX) {
        int len = alongX ? w : h;
        int other = alongX ? h : w;
        double scale = (double) len / n;
        double[] out = new double[alongX ? n * h : w * n];
        for (int o = 0; o < other; o++) {
            for (int j = 0; j < n; j++) {
                double a = j * scale;
                double b = a + scale;
                double sum = 0;
                for (int i = (int) Math.floor(a); i < Math.min(len, (int) Math.ceil(b)); i++) {
                    double cover = Math.min(b, i + 1) - Math.max(a, i);
                    if (cover > 0) {
                        sum += cover * (alongX ? src[o * w + i] : src[i * w + o]);
                    }
                }
                double v = sum / scale;
                if (alongX) {
                    out[o * n + j] = v;
                } else {
                    out[j * w + o] = v;
                }
            }
        }
        return out;
    }

    /** Bilinear resize (pixel centres aligned, edges clamped) of one plane {@code w x h} to {@code nw x nh}. */
    static double[] bilinear(double[] src, int w, int h, int nw, int nh) {
        double[] out = new double[nw * nh];
        double sx = (double) w / nw;
        double sy = (double) h / nh;
        for (int y = 0; y < nh; y++) {
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(h - 1, y0 + 1);
            double wy = fy - y0;
            for (int x = 0; x < nw; x++) {
                double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(w - 1, x0 + 1);
                double wx = fx - x0;
                double top = src[y0 * w + x0] * (1 - wx) + src[y0 * w + x1] * wx;
                double bottom = src[y1 * w + x0] * (1 - wx) + src[y1 * w + x1] * wx;
                out[y * nw + x] = top * (1 - wy) + bottom * wy;
            }
        }
        return out;
    }
}
