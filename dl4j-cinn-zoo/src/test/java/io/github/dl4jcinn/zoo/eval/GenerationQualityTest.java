package io.github.dl4jcinn.zoo.eval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GenerationQualityTest {

    @Test
    void fidelityIsTheFractionOfSamplesClassifiedAsTheirLabel() {
        int[] intended = {0, 0, 1, 1, 1, 2, 2, 2, 2};
        int[] predicted = {0, 1, 1, 1, 1, 0, 2, 3, 3};
        double[] f = GenerationQuality.fidelity(intended, predicted, 4);
        assertThat(f[0]).isEqualTo(0.5);
        assertThat(f[1]).isEqualTo(1.0);
        assertThat(f[2]).isEqualTo(0.25);
        assertThat(f[3]).isNaN(); // no sample asked for class 3
    }

    @Test
    void diversityIsTheMeanPerPixelVarianceWithinAClass() {
        INDArray s = Nd4j.create(DataType.FLOAT, 5, 1, 2, 2);
        s.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(0.3); // class 0: identical samples
        s.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(0.3);
        s.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2)).assign(0.0); // class 1: 0 and 1 -> variance 0.25
        s.get(org.nd4j.linalg.indexing.NDArrayIndex.point(3)).assign(1.7); //   (clipped to 1 like the PNG)
        s.get(org.nd4j.linalg.indexing.NDArrayIndex.point(4)).assign(0.5); // class 2: one sample only
        int[] labels = {0, 0, 1, 1, 2};
        GenerationQuality q = GenerationQuality.measure(s, labels, labels, 3);
        assertThat(q.diversity()[0]).isCloseTo(0.0, within(1e-12));
        assertThat(q.diversity()[1]).isCloseTo(0.25, within(1e-9));
        assertThat(q.diversity()[2]).isNaN();
        assertThat(q.meanDiversity()).isCloseTo(0.125, within(1e-9));
        assertThat(q.meanFidelity()).isEqualTo(1.0);
    }
}
