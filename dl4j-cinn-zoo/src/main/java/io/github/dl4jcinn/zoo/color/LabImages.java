package io.github.dl4jcinn.zoo.color;

import java.awt.image.BufferedImage;

/**
 * Whole images in Lab: planar {@code double[3][h * w]} (L, a, b), and back to RGB pictures. A colorization is
 * assembled from a full-resolution L and an ab of any resolution, bilinearly upsampled to L's size (the usual
 * colorization practice: chroma needs less resolution than luminance).
 */
public final class LabImages {

    private LabImages() {}

    /** Planar Lab of an 8-bit sRGB image. */
    public static double[][] toLab(BufferedImage img) {
        int[][] rgb = Resampling.toRgb(img);
        int n = rgb[0].length;
        double[][] lab = new double[3][n];
        double[] px = new double[3];
        for (int i = 0; i < n; i++) {
            LabColor.rgb8ToLab(rgb[0][i], rgb[1][i], rgb[2][i], px);
            lab[0][i] = px[0];
            lab[1][i] = px[1];
            lab[2][i] = px[2];
        }
        return lab;
    }

    /** An RGB picture from L ({@code w x h}) and a, b ({@code abW x abH}, upsampled if smaller); clipped to gamut. */
    public static BufferedImage toImage(double[] l, int w, int h, double[] a, double[] b, int abW, int abH) {
        double[] aa = abW == w && abH == h ? a : Resampling.bilinear(a, abW, abH, w, h);
        double[] bb = abW == w && abH == h ? b : Resampling.bilinear(b, abW, abH, w, h);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[w * h];
        double[] rgb = new double[3];
        for (int i = 0; i < argb.length; i++) {
            LabColor.labToRgb(l[i], aa[i], bb[i], rgb);
            int r = (int) Math.round(LabColor.clip01(rgb[0]) * 255);
            int g = (int) Math.round(LabColor.clip01(rgb[1]) * 255);
            int bl = (int) Math.round(LabColor.clip01(rgb[2]) * 255);
            argb[i] = (r << 16) | (g << 8) | bl;
        }
        img.setRGB(0, 0, w, h, argb, 0, w);
        return img;
    }

    /** The grey picture of an L plane (a = b = 0). */
    public static BufferedImage grey(double[] l, int w, int h) {
        return toImage(l, w, h, new double[w * h], new double[w * h], w, h);
    }

    /** Area-average resize of one plane (shrinking) or bilinear (enlarging). */
    public static double[] resize(double[] plane, int w, int h, int nw, int nh) {
        if (nw == w && nh == h) {
            return plane.clone();
        }
        if (nw <= w && nh <= h) {
            return Resampling.boxResize(new double[][]{plane}, w, h, nw, nh)[0];
        }
        return Resampling.bilinear(plane, w, h, nw, nh);
    }
}
