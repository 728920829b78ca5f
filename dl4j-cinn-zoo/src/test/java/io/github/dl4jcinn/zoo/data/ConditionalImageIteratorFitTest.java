package io.github.dl4jcinn.zoo.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The iterator's batches are accepted by a plain two-input DL4J graph, including fit over several epochs. */
class ConditionalImageIteratorFitTest {

    @Test
    void twoInputGraphFitsOnTheIterator() {
        LabeledImages data = new LabeledImages(IdxTestFiles.pixels(20, 4, 5), IdxTestFiles.labels(20), 4, 5);
        ConditionalImageIterator it = ConditionalImageIterator.builder(data).batchSize(8).shuffle(3)
                .preProcessor(NoiseAugmentation.gaussian(0.02, 1)).build();

        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.01))
                .graphBuilder()
                .addInputs("image", "condition")
                .setInputTypes(InputType.convolutional(4, 5, 1), InputType.feedForward(10))
                .addLayer("imageDense", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(),
                        "image")
                .addVertex("merge", new MergeVertex(), "imageDense", "condition")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                        .activation(Activation.IDENTITY).build(), "merge")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();

        graph.fit(it, 2);

        assertThat(graph.getEpochCount()).isEqualTo(2);
        assertThat(graph.getIterationCount()).isEqualTo(6); // 3 batches x 2 epochs
        assertThat(it.epoch()).isBetween(1, 2);
        assertThat(Double.isFinite(graph.score())).isTrue();
    }
}
