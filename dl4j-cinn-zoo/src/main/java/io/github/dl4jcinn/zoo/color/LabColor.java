package io.github.dl4jcinn.zoo.color;

/**
 * sRGB &lt;-&gt; CIE L*a*b* (D65 white, 2° observer), the colour space of the colorization cINN: the model generates
 * the chroma channels a, b given the lightness L.
 *
 * <p>Conversion chain: sRGB in [0, 1] is linearised with the IEC 61966-2-1 transfer function, mapped to XYZ with the
 * standard's matrix (4-digit coefficients), divided by the D65 white (0.95047, 1, 1.08883) and mapped to Lab with
 * the CIE 1976 formulas ({@code L = 116 f(Y) − 16, a = 500 (f(X) − f(Y)), b = 200 (f(Y) − f(Z))},
 * {@code f(t) = t^(1/3)} above {@code (6/29)^3}, linear below). The inverse uses the exact inverse of that matrix,
 * so a round trip is exact to rounding. Reference: sRGB (255, 0, 0) gives L 53.23, a 80.11, b 67.22.
 *
 * <p>Ranges: L in [0, 100]; a, b roughly in [−87, 99] and [−108, 95] for colours inside the sRGB gamut. Lab colours
 * outside the gamut map to RGB values outside [0, 1]; {@link #labToRgb} returns them unclipped, {@link #clip01}
 * clips.
 *
 * <pre>{@code double[] lab = LabColor.rgbToLab(1, 0, 0);        // {53.23, 80.11, 67.22}
 * double[] rgb = LabColor.labToRgb(lab[0], lab[1], lab[2]);   // {1, 0, 0}}</pre>
 */
public final class LabColor {

    /** D65 reference white, 2° observer (X, Y, Z with Y = 1). */
    public static final double XN = 0.95047;
    public static final double YN = 1.0;
    public static final double ZN = 1.08883;

    /** Linear sRGB to XYZ (IEC 61966-2-1). */
    private static final double[][] RGB_TO_XYZ = {
            {0.4124, 0.3576, 0.1805},
            {0.2126, 0.7152, 0.0722},
            {0.0193, 0.1192, 0.9505}};
    private static final double[][] XYZ_TO_RGB = invert(RGB_TO_XYZ);

    private static final double DELTA = 6.0 / 29.0;
    private static final double DELTA3 = DELTA * DELTA * DELTA;

    /** Linear value of each 8-bit sRGB code (decoding is the hot path when tiling photos). */
    private static final double[] DECODE_8BIT = new double[256];

    static {
        for (int i = 0; i < 256; i++) {
            DECODE_8BIT[i] = toLinear(i / 255.0);
        }
    }

    private LabColor() {}

    /** Lab of an sRGB colour with components in [0, 1]. */
    public static double[] rgbToLab(double r, double g, double b) {
        double[] out = new double[3];
        linearRgbToLab(toLinear(r), toLinear(g), toLinear(b), out);
        return out;
    }

    /** Lab of an 8-bit sRGB colour (components 0..255), written to {@code out[0..2]}. */
    public static void rgb8ToLab(int r, int g, int b, double[] out) {
        linearRgbToLab(DECODE_8BIT[r & 0xFF], DECODE_8BIT[g & 0xFF], DECODE_8BIT[b & 0xFF], out);
    }

    /** sRGB components (nominally [0, 1], unclipped) of a Lab colour. */
    public static double[] labToRgb(double l, double a, double b) {
        double[] out = new double[3];
        labToRgb(l, a, b, out);
        return out;
    }

    /** As {@link #labToRgb(double, double, double)}, written to {@code out[0..2]}. */
    public static void labToRgb(double l, double a, double b, double[] out) {
        double fy = (l + 16) / 116.0;
        double fx = fy + a / 500.0;
        double fz = fy - b / 200.0;
        double x = XN * fInverse(fx);
        double y = YN * fInverse(fy);
        double z = ZN * fInverse(fz);
        for (int i = 0; i < 3; i++) {
            double lin = XYZ_TO_RGB[i][0] * x + XYZ_TO_RGB[i][1] * y + XYZ_TO_RGB[i][2] * z;
            out[i] = toSrgb(lin);
        }
    }

    /** Clips to [0, 1]; NaN becomes 0. */
    public static double clip01(double v) {
        return v > 0 ? Math.min(v, 1.0) : 0.0;
    }

    /** Lightness L of an 8-bit sRGB colour; for grey (r = g = b) this is the L a grey image carries. */
    public static double lightness8(int r, int g, int b) {
        double y = RGB_TO_XYZ[1][0] * DECODE_8BIT[r & 0xFF] + RGB_TO_XYZ[1][1] * DECODE_8BIT[g & 0xFF]
                + RGB_TO_XYZ[1][2] * DECODE_8BIT[b & 0xFF];
        return 116 * f(y / YN) - 16;
    }

    // ---- the pieces ----

    private static void linearRgbToLab(double r, double g, double b, double[] out) {
        double x = RGB_TO_XYZ[0][0] * r + RGB_TO_XYZ[0][1] * g + RGB_TO_XYZ[0][2] * b;
        double y = RGB_TO_XYZ[1][0] * r + RGB_TO_XYZ[1][1] * g + RGB_TO_XYZ[1][2] * b;
        double z = RGB_TO_XYZ[2][0] * r + RGB_TO_XYZ[2][1] * g + RGB_TO_XYZ[2][2] * b;
        double fx = f(x / XN);
        double fy = f(y / YN);
        double fz = f(z / ZN);
        out[0] = 116 * fy - 16;
        out[1] = 500 * (fx - fy);
        out[2] = 200 * (fy - fz);
    }

    /** sRGB decoding (IEC 61966-2-1). */
    static double toLinear(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    /** sRGB encoding; odd-symmetric below 0 so out-of-gamut values stay finite and invertible. */
    static double toSrgb(double lin) {
        if (lin < 0) {
            return -toSrgb(-lin);
        }
        return lin <= 0.0031308 ? 12.92 * lin : 1.055 * Math.pow(lin, 1 / 2.4) - 0.055;
    }

    private static double f(double t) {
        return t > DELTA3 ? Math.cbrt(t) : t / (3 * DELTA * DELTA) + 4.0 / 29.0;
    }

    private static double fInverse(double t) {
        return t > DELTA ? t * t * t : 3 * DELTA * DELTA * (t - 4.0 / 29.0);
    }

    private static double[][] invert(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2];
        double d = m[1][0], e = m[1][1], f = m[1][2];
        double g = m[2][0], h = m[2][1], i = m[2][2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[][]{
                {(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det},
                {(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det},
                {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    }
}
