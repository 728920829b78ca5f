package io.github.dl4jcinn.zoo.latent;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatentPcaTest {

    @Test
    void recoversAxesAndVariancesOfKnownData() {
        Nd4j.getRandom().setSeed(1);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 20000, 3);
        z.getColumn(0).muli(1.0);
        z.getColumn(1).muli(3.0); // largest variance on axis 1
        z.getColumn(2).muli(2.0);
        z.addiRowVector(Nd4j.createFromArray(5.0, -1.0, 0.5));
        LatentPca pca = LatentPca.fit(z);
        assertThat(pca.variance(0)).isCloseTo(9.0, within(0.3));
        assertThat(pca.variance(1)).isCloseTo(4.0, within(0.15));
        assertThat(pca.variance(2)).isCloseTo(1.0, within(0.05));
        assertThat(Math.abs(pca.direction(0).getDouble(1))).isCloseTo(1.0, within(1e-2));
        assertThat(Math.abs(pca.direction(1).getDouble(2))).isCloseTo(1.0, within(1e-2));
        assertThat(pca.mean().getDouble(0)).isCloseTo(5.0, within(0.05));
        assertThat(pca.explainedVariance(1)).isCloseTo(9.0 / 14.0, within(0.02));
        // two standard deviations along the first direction
        INDArray p = pca.point(0, 2.0);
        assertThat(Math.abs(p.getDouble(0, 1) - pca.mean().getDouble(1))).isCloseTo(6.0, within(0.2));
    }
}
