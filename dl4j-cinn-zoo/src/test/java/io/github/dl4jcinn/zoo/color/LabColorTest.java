package io.github.dl4jcinn.zoo.color;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LabColorTest {

    @Test
    void pureRedMatchesTheReferenceValues() {
        double[] lab = LabColor.rgbToLab(1, 0, 0);
        assertThat(lab[0]).isCloseTo(53.23, within(0.005));
        assertThat(lab[1]).isCloseTo(80.11, within(0.005));
        assertThat(lab[2]).isCloseTo(67.22, within(0.005));
    }

    @Test
    void whiteBlackAndGreyHaveNoChroma() {
        // the standard's 4-digit matrix rows sum to (0.9505, 1, 1.0890), not exactly the D65 white: ~0.01 off
        double[] white = LabColor.rgbToLab(1, 1, 1);
        assertThat(white[0]).isCloseTo(100, within(0.01));
        assertThat(white[1]).isCloseTo(0, within(0.02));
        assertThat(white[2]).isCloseTo(0, within(0.02));
        assertThat(LabColor.rgbToLab(0, 0, 0)).containsExactly(new double[]{0, 0, 0}, within(1e-9));
        double[] grey = LabColor.rgbToLab(0.5, 0.5, 0.5);
        assertThat(grey[0]).isCloseTo(53.39, within(0.01));   // sRGB 50% grey
        assertThat(Math.abs(grey[1]) + Math.abs(grey[2])).isLessThan(0.01);
    }

    @Test
    void otherPrimariesHaveTheirTextbookValues() {
        // same conversion chain (IEC 61966-2-1 matrix, D65 white), values rounded to 0.01
        double[] green = LabColor.rgbToLab(0, 1, 0);
        assertThat(green[0]).isCloseTo(87.74, within(0.02));
        assertThat(green[1]).isCloseTo(-86.18, within(0.05));
        assertThat(green[2]).isCloseTo(83.19, within(0.05));
        double[] blue = LabColor.rgbToLab(0, 0, 1);
        assertThat(blue[0]).isCloseTo(32.30, within(0.02));
        assertThat(blue[1]).isCloseTo(79.19, within(0.05));
        assertThat(blue[2]).isCloseTo(-107.86, within(0.05));
    }

    @Test
    void roundTripsAreExactToRounding() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            double r = rng.nextDouble(), g = rng.nextDouble(), b = rng.nextDouble();
            double[] lab = LabColor.rgbToLab(r, g, b);
            double[] back = LabColor.labToRgb(lab[0], lab[1], lab[2]);
            assertThat(back).containsExactly(new double[]{r, g, b}, within(1e-9));
        }
        for (int v = 0; v < 256; v += 5) {
            double[] lab = new double[3];
            LabColor.rgb8ToLab(v, 255 - v, v / 2, lab);
            double[] back = LabColor.labToRgb(lab[0], lab[1], lab[2]);
            assertThat(Math.round(back[0] * 255)).isEqualTo(v);
            assertThat(Math.round(back[1] * 255)).isEqualTo(255 - v);
            assertThat(Math.round(back[2] * 255)).isEqualTo(v / 2);
        }
    }

    @Test
    void eightBitConversionAgreesWithTheRealValuedOne() {
        double[] lab = new double[3];
        LabColor.rgb8ToLab(200, 30, 90, lab);
        assertThat(lab).containsExactly(LabColor.rgbToLab(200 / 255.0, 30 / 255.0, 90 / 255.0), within(1e-12));
        assertThat(LabColor.lightness8(200, 30, 90)).isCloseTo(lab[0], within(1e-12));
    }

    @Test
    void outOfGamutLabIsReturnedUnclippedAndClipsToTheCube() {
        double[] rgb = LabColor.labToRgb(50, 120, -120);
        assertThat(rgb[0] > 1 || rgb[1] < 0 || rgb[2] > 1).isTrue();
        assertThat(LabColor.clip01(-0.3)).isZero();
        assertThat(LabColor.clip01(1.7)).isEqualTo(1.0);
        assertThat(LabColor.clip01(Double.NaN)).isZero();
    }
}
