package io.github.dl4jcinn.zoo.color;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The Table 1 metrics on inputs small enough to work out by hand. */
class ColorMetricsTest {

    @Test
    void bestOfKPicksTheClosestSampleAndVarianceIsUnbiased() {
        // 2 values per image (one pixel, a and b); truth (0, 0)
        ColorMetrics m = new ColorMetrics();
        m.add(new double[]{0, 0}, new double[][]{{2, 2}, {1, -1}, {4, 0}});
        ColorMetrics.Result r = m.result();
        // MSEs: (4+4)/2 = 4, (1+1)/2 = 1, (16+0)/2 = 8 -> best 1
        assertThat(r.bestOfKMse()).isCloseTo(1.0, within(1e-12));
        // a: samples 2, 1, 4 mean 7/3, sum sq dev = 1/9 + 16/9 + 25/9 = 42/9, /(K-1) = 7/3
        // b: samples 2, -1, 0 mean 1/3, sum sq dev = 25/9 + 16/9 + 1/9 = 42/9, /(K-1) = 7/3
        assertThat(r.variance()).isCloseTo(7.0 / 3.0, within(1e-12));
        assertThat(r.samples()).isEqualTo(3);
        assertThat(r.images()).isEqualTo(1);
        assertThat(r.bestOfKMseError()).isZero();
    }

    @Test
    void meansAndStandardErrorsOverImages() {
        ColorMetrics m = new ColorMetrics();
        m.add(new double[]{1, 1}, new double[][]{{1, 1}, {1, 1}});   // best 0, variance 0
        m.add(new double[]{0, 0}, new double[][]{{2, 0}, {0, 2}});   // best 2, variance: a {2,0} -> 2, b -> 2: 2
        ColorMetrics.Result r = m.result();
        assertThat(r.bestOfKMse()).isCloseTo(1.0, within(1e-12));
        assertThat(r.variance()).isCloseTo(1.0, within(1e-12));
        // values {0, 2}: sample sd sqrt(2), standard error sqrt(2)/sqrt(2) = 1
        assertThat(r.bestOfKMseError()).isCloseTo(1.0, within(1e-12));
        assertThat(r.varianceError()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void deterministicPredictionsHaveZeroVarianceAndTheirPlainMse() {
        ColorMetrics m = new ColorMetrics();
        double[] truth = {3, -4, 0, 0};
        double[] grey = {0, 0, 0, 0};
        m.add(truth, new double[][]{grey, grey, grey, grey, grey, grey, grey, grey});
        // grey-only baseline: mean of ab² = (9 + 16) / 4
        assertThat(m.result().bestOfKMse()).isCloseTo(25.0 / 4, within(1e-12));
        assertThat(m.result().variance()).isZero();
    }

    @Test
    void batchesOfArraysGiveTheSameAsPerImageCalls() {
        INDArray truth = Nd4j.create(new double[]{0, 0, 0, 0, 1, 1, 1, 1}, new long[]{2, 2, 1, 2});
        INDArray s1 = Nd4j.create(new double[]{1, 1, 1, 1, 1, 1, 1, 1}, new long[]{2, 2, 1, 2});
        INDArray s2 = Nd4j.create(new double[]{0, 0, 0, 2, 3, 1, 1, 1}, new long[]{2, 2, 1, 2});
        ColorMetrics m = new ColorMetrics();
        m.add(truth, new INDArray[]{s1, s2});
        ColorMetrics expected = new ColorMetrics();
        expected.add(new double[]{0, 0, 0, 0}, new double[][]{{1, 1, 1, 1}, {0, 0, 0, 2}});
        expected.add(new double[]{1, 1, 1, 1}, new double[][]{{1, 1, 1, 1}, {3, 1, 1, 1}});
        assertThat(m.result()).isEqualTo(expected.result());
        // image 1: best = min(1, 1) = 1; image 2: best = min(0, 1) = 0 -> 0.5
        assertThat(m.result().bestOfKMse()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void mismatchedInputsAreRejected() {
        ColorMetrics m = new ColorMetrics();
        m.add(new double[]{0, 0}, new double[][]{{0, 0}, {1, 1}});
        assertThatThrownBy(() -> m.add(new double[]{0, 0}, new double[][]{{0, 0}}))
                .hasMessageContaining("same number of samples");
        assertThatThrownBy(() -> m.add(new double[]{0, 0}, new double[][]{{0}, {1}}))
                .hasMessageContaining("values");
        assertThatThrownBy(() -> new ColorMetrics().result()).hasMessageContaining("no images");
    }
}
