package io.github.dl4jcinn.zoo.eval;

import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.testing.SyntheticDigits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DigitClassifierTest {

    @Test
    void trainsCachesAndJudgesFidelityOfKnownImages(@TempDir Path dir) throws Exception {
        LabeledImages train = SyntheticDigits.make(1280, 5);
        LabeledImages test = SyntheticDigits.make(100, 6);
        Path file = dir.resolve("classifier.zip");
        DigitClassifier c = DigitClassifier.loadOrTrain(file, train, test, 10, 3, 3);
        assertThat(c.testAccuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(Files.exists(file)).isTrue();

        // "samples" whose right answers are known: real test images with their true labels
        INDArray images = DequantizedLikelihood.clean(test, 0, test.count());
        int[] predicted = c.predict(images);
        GenerationQuality q = GenerationQuality.measure(images, test.labels(), predicted, 10);
        assertThat(q.meanFidelity()).isCloseTo(c.testAccuracy(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(q.meanDiversity()).isPositive();

        // mislabelled on purpose: every image claimed to be the next class -> fidelity near 0
        int[] shifted = test.labels().clone();
        for (int i = 0; i < shifted.length; i++) shifted[i] = (shifted[i] + 1) % 10;
        assertThat(GenerationQuality.measure(images, shifted, predicted, 10).meanFidelity()).isLessThan(0.1);

        // second call: loaded from the cache, same answers, accuracy read back
        DigitClassifier cached = DigitClassifier.loadOrTrain(file, train, test, 10, 3, 3);
        assertThat(cached.testAccuracy()).isEqualTo(c.testAccuracy());
        assertThat(cached.predict(images)).containsExactly(predicted);
    }
}
