package io.github.dl4jcinn.zoo.eval;

import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.testing.SyntheticDigits;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DequantizedLikelihoodTest {

    private static final LabeledImages TEST = SyntheticDigits.make(60, 4);

    @Test
    void wrongLabelGapIsZeroForAModelThatCannotSeeTheLabel() {
        // zero-initialised last subnet layers: every coupling is the identity, the label has no path to z
        ComputationGraph g = MnistCinn.tiny().init();
        DequantizedLikelihood.Result own = DequantizedLikelihood.evaluate(g, TEST, 10, 0, 25, 3);
        assertThat(DequantizedLikelihood.wrongLabelGap(g, TEST, 10, 0, 25, 3, own)).isEqualTo(0.0);
    }

    @Test
    void wrongLabelGapIsPositiveOnceTheModelHasLearnedTheLabel() {
        ComputationGraph g = MnistCinn.tiny().labelEmbedding(8).learningRate(3e-3).init();
        INDArray x = Nd4j.create(DataType.FLOAT, TEST.count(), 1, TEST.rows(), TEST.cols());
        INDArray c = Nd4j.zeros(DataType.FLOAT, TEST.count(), 10);
        for (int i = 0; i < TEST.count(); i++) {
            for (int p = 0; p < TEST.pixelsPerImage(); p++) {
                x.putScalar(new long[]{i, 0, p / TEST.cols(), p % TEST.cols()},
                        (TEST.pixels()[i * TEST.pixelsPerImage() + p] & 0xFF) / 255.0);
            }
            c.putScalar(i, TEST.label(i), 1);
        }
        MultiDataSet batch = new MultiDataSet(new INDArray[]{x.addi(Nd4j.randn(DataType.FLOAT, x.shape()).muli(0.02)),
                c}, new INDArray[]{Nd4j.zeros(DataType.FLOAT, TEST.count(), 1)});
        for (int i = 0; i < 60; i++) {
            g.fit(batch);
        }
        DequantizedLikelihood.Result own = DequantizedLikelihood.evaluate(g, TEST, 10, 0, 25, 3);
        double gap = DequantizedLikelihood.wrongLabelGap(g, TEST, 10, 0, 25, 3, own);
        // the synthetic digits differ by class, so a model fitted to them pays for a wrong label
        assertThat(gap).isGreaterThan(0.01);
        // and the same seed gives the same figure
        assertThat(DequantizedLikelihood.wrongLabelGap(g, TEST, 10, 0, 25, 3, own)).isCloseTo(gap, within(1e-12));
    }
}
