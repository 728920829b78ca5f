package io.github.dl4jcinn.zoo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class NoiseAugmentationTest {

    private static MultiDataSet batch(INDArray x) {
        INDArray c = Nd4j.eye(4).castTo(DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 1);
        return new MultiDataSet(new INDArray[] {x, c}, new INDArray[] {y});
    }

    @Test
    void gaussianNoiseHasZeroMeanAndTheRequestedStdOnFeatureZeroOnly() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 200, 1, 28, 28); // 156800 values
        MultiDataSet mds = new MultiDataSet(new INDArray[] {x, Nd4j.ones(DataType.FLOAT, 200, 10)},
                new INDArray[] {Nd4j.zeros(DataType.FLOAT, 200, 1)});
        NoiseAugmentation.gaussian(NoiseAugmentation.MNIST_SIGMA, 123).preProcess(mds);

        INDArray noisy = mds.getFeatures(0);
        assertThat(noisy.shape()).containsExactly(200, 1, 28, 28);
        assertThat(noisy.dataType()).isEqualTo(DataType.FLOAT);
        // standard error of the mean is 5e-5 and of the std 3.6e-5: a 5% wrong sigma (0.001) would fail
        assertThat(noisy.meanNumber().doubleValue()).isCloseTo(0.0, within(3e-4));
        assertThat(noisy.stdNumber().doubleValue()).isCloseTo(0.02, within(4e-4));
        assertThat(x.sumNumber().doubleValue()).isZero(); // input not modified in place
        assertThat(mds.getFeatures(1).meanNumber().doubleValue()).isEqualTo(1.0);
        assertThat(mds.getLabels(0).sumNumber().doubleValue()).isZero();
    }

    @Test
    void sameSeedSameNoiseAndReseedReplays() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 4, 50);
        NoiseAugmentation a = NoiseAugmentation.gaussian(0.1, 5);
        NoiseAugmentation b = NoiseAugmentation.gaussian(0.1, 5);
        NoiseAugmentation c = NoiseAugmentation.gaussian(0.1, 6);
        INDArray a1 = a.addNoise(x);
        assertThat(b.addNoise(x)).isEqualTo(a1);
        assertThat(c.addNoise(x)).isNotEqualTo(a1);
        INDArray a2 = a.addNoise(x);
        assertThat(a2).isNotEqualTo(a1);
        a.reseed();
        assertThat(a.addNoise(x)).isEqualTo(a1);
    }

    @Test
    void anyRankAndDataTypeIsKept() {
        NoiseAugmentation noise = NoiseAugmentation.gaussian(1, 0);
        INDArray rank3 = Nd4j.zeros(DataType.DOUBLE, 4, 3, 7);
        MultiDataSet mds = batch(rank3);
        noise.preProcess(mds);
        assertThat(mds.getFeatures(0).shape()).containsExactly(4, 3, 7);
        assertThat(mds.getFeatures(0).dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(mds.getFeatures(0).stdNumber().doubleValue()).isBetween(0.7, 1.3);
        assertThat(mds.getFeatures(1)).isEqualTo(Nd4j.eye(4).castTo(DataType.FLOAT));

        INDArray rank2 = noise.addNoise(Nd4j.zeros(DataType.FLOAT, 4, 9));
        assertThat(rank2.shape()).containsExactly(4, 9);
    }

    @Test
    void uniformDequantizationStaysInsideEachPixelsBin() {
        // every grey level k as k/256, repeated
        int n = 256 * 200;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 256) / 256f;
        }
        INDArray x = Nd4j.create(v, new long[] {200, 1, 16, 16}, 'c');
        INDArray noisy = NoiseAugmentation.uniformDequantization(9).addNoise(x);
        float[] out = noisy.dup('c').data().asFloat();
        for (int i = 0; i < n; i++) {
            float bin = (i % 256) / 256f;
            assertThat(out[i]).isGreaterThanOrEqualTo(bin).isLessThan(bin + 1f / 256f);
            assertThat((int) Math.floor(out[i] * 256f)).isEqualTo(i % 256);
        }
        INDArray u = noisy.sub(x).mul(256); // back to U[0, 1)
        assertThat(u.meanNumber().doubleValue()).isCloseTo(0.5, within(0.005));
        assertThat(u.stdNumber().doubleValue()).isCloseTo(Math.sqrt(1.0 / 12), within(0.005));
        assertThat(noisy.maxNumber().doubleValue()).isLessThan(1.0);
    }
}
