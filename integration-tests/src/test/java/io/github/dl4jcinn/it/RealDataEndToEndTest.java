package io.github.dl4jcinn.it;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.FixedOrthogonalConv1x1;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.layers.training.FiniteLossGuard;
import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.DigitDataset;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.NoiseAugmentation;
import io.github.dl4jcinn.zoo.data.Split;
import io.github.dl4jcinn.zoo.image.ImageGrid;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Across modules on real data: real Fashion-MNIST (Debian package, installed by .ci/run) through the zoo iterator
 * into a multi-scale class-conditional cINN from the layer library; training lowers the loss, the model survives
 * ModelSerializer, and the restored model samples every class as a PNG grid.
 */
class RealDataEndToEndTest {

    @Test
    void multiScaleCinnTrainsOnRealFashionMnistSavesRestoresAndSamples(@TempDir Path dir) throws Exception {
        LabeledImages train = DigitDataset.FASHION_MNIST.load(Split.TRAIN, null, 512);
        ConditionalImageIterator it = ConditionalImageIterator.builder(train).batchSize(64).shuffle(1)
                .preProcessor(NoiseAugmentation.gaussian(0.02, 2)).build();

        CinnGraphBuilder b = CinnGraphBuilder.create(new NeuralNetConfiguration.Builder().seed(5)
                        .updater(new Adam(1e-3)))
                .flowInput("x", FlowShape.image(1, 28, 28))
                .conditionInput("label", InputType.feedForward(10))
                .add("haar1", new HaarDownsampling());                                    // 4x14x14
        for (int i = 0; i < 2; i++) {
            b.add("cc" + i, AffineCoupling.builder().subnet(Subnet.convolutional(3, 8)).vectorCondition(10).build(),
                    "label");
            b.add("q" + i, new FixedOrthogonalConv1x1(i));
        }
        b.split("split1", 2).flatten();                                                   // 2x14x14 -> 392
        for (int i = 2; i < 4; i++) {
            b.add("fc" + i, AffineCoupling.builder().subnet(Subnet.fullyConnected(64)).vectorCondition(10).build(),
                    "label");
            b.add("p" + i, new FixedPermutation(i));
        }
        ComputationGraph graph = new ComputationGraph(b.build("nll"));
        graph.init();
        graph.addListeners(new FiniteLossGuard());

        MultiDataSet first = it.next();
        double before = graph.score(first);
        it.reset();
        for (int epoch = 0; epoch < 3; epoch++) {
            graph.fit(it);
        }
        double after = graph.score(first);
        assertThat(after).as("loss per dimension before %.4f, after %.4f", before, after).isLessThan(before - 0.1);

        File f = dir.resolve("cinn.zip").toFile();
        ModelSerializer.writeModel(graph, f, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(f, true);
        assertThat(restored.score(first)).isEqualTo(graph.score(first));

        INDArray labels = Nd4j.zeros(20, 10);
        for (int i = 0; i < 20; i++) labels.putScalar(i, i % 10, 1.0);
        INDArray samples = CinnInverse.of(restored).sample(20, 0.8, Map.of("label", labels), 9);
        assertThat(samples.shape()).containsExactly(20, 1, 28, 28);
        assertThat(samples.isInfinite().any() || samples.isNaN().any()).isFalse();

        Path png = dir.resolve("samples.png");
        ImageGrid.write(samples, 2, 10, 2, 1, png); // values are clipped to [0, 1] by the writer
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(10 * 28 + 11 * 2);
        assertThat(img.getHeight()).isEqualTo(2 * 28 + 3 * 2);
    }
}
