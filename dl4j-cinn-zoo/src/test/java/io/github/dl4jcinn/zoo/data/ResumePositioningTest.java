package io.github.dl4jcinn.zoo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** What a resumed training run relies on: seek() reproduces the batches, reseedForStep() the noise. */
class ResumePositioningTest {

    private static LabeledImages data() {
        return new LabeledImages(IdxTestFiles.pixels(10, 2, 2), IdxTestFiles.labels(10), 2, 2);
    }

    @Test
    void seekGivesTheSameBatchesAsIteratingFromTheStart() {
        ConditionalImageIterator a = ConditionalImageIterator.builder(data()).batchSize(4).shuffle(7).build();
        a.next();
        a.next();
        a.next();
        a.reset(); // epoch 1
        a.next();
        MultiDataSet expected = a.next(); // epoch 1, batch 1

        ConditionalImageIterator b = ConditionalImageIterator.builder(data()).batchSize(4).shuffle(7).build();
        b.seek(1, 1);
        assertThat(b.epoch()).isEqualTo(1);
        assertThat(b.next().getFeatures(0)).isEqualTo(expected.getFeatures(0));
    }

    @Test
    void seekToTheEndOfAnEpochWithAShortLastBatchLeavesItExhausted() {
        ConditionalImageIterator it = ConditionalImageIterator.builder(data()).batchSize(4).shuffle(7).build();
        it.seek(0, 3); // 4 + 4 + 2 examples: all three batches taken
        assertThat(it.hasNext()).isFalse();
        it.reset();
        assertThat(it.epoch()).isEqualTo(1);
        assertThat(it.hasNext()).isTrue();
        assertThatThrownBy(() -> it.seek(0, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reseedForStepMakesTheNoiseDependOnTheStepOnly() {
        NoiseAugmentation n1 = NoiseAugmentation.gaussian(0.1, 3);
        NoiseAugmentation n2 = NoiseAugmentation.gaussian(0.1, 3);
        INDArray x = Nd4j.zeros(2, 3);
        n1.addNoise(x); // n1 has moved on, n2 has not
        n1.reseedForStep(5);
        n2.reseedForStep(5);
        assertThat(n1.addNoise(x)).isEqualTo(n2.addNoise(x));
        n2.reseedForStep(6);
        assertThat(n2.addNoise(x)).isNotEqualTo(n1.addNoise(x));
    }
}
