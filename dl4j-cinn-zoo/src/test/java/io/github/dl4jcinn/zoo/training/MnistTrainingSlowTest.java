package io.github.dl4jcinn.zoo.training;

import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.DatasetNotFoundException;
import io.github.dl4jcinn.zoo.data.DigitDataset;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.NoiseAugmentation;
import io.github.dl4jcinn.zoo.data.Split;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Long runs on real MNIST (opt-in: mvn -Pslow). */
@Tag("slow")
class MnistTrainingSlowTest {

    @Test
    void quickModelLearnsRealMnistWithinOneEpoch(@TempDir Path dir) throws Exception {
        LabeledImages train;
        LabeledImages test;
        try {
            train = DigitDataset.MNIST.load(Split.TRAIN).first(20_000);
            test = DigitDataset.MNIST.load(Split.TEST).first(2_000);
        } catch (DatasetNotFoundException e) {
            assumeTrue(false, "MNIST not installed (scripts/fetch-data.sh)");
            return;
        }
        ConditionalImageIterator it = ConditionalImageIterator.builder(train).batchSize(256).shuffle(1)
                .preProcessor(NoiseAugmentation.gaussian(0.02, 1)).build();
        TrainingResult r = CinnTrainer.builder().epochs(1).logEvery(20).outputDir(dir).seed(1).testSet(test, 10)
                .testExamplesPerEpoch(0).samplingBenchmark(256).build()
                .fit(MnistCinn.quick().decayIterations(it.batchesPerEpoch()).init(), it);
        double bpd = ((Number) r.metrics().get("testBitsPerDim")).doubleValue();
        assertThat(bpd).isLessThan(6.5); // 9.3 at initialisation
    }

    @Test
    void paperModelInitialisesWithTheDocumentedParameterCount() {
        ComputationGraph g = MnistCinn.paper().init();
        assertThat(g.params().length()).isEqualTo(MnistCinn.PAPER_PARAMETERS);
    }
}
