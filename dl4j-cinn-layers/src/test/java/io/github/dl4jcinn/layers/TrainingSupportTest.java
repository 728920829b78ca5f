package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.blocks.ActNorm;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.loss.LikelihoodMetrics;
import io.github.dl4jcinn.layers.training.ActNormInitializer;
import io.github.dl4jcinn.layers.training.FiniteLossGuard;
import io.github.dl4jcinn.layers.training.NonFiniteLossException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

import static io.github.dl4jcinn.layers.FlowShape.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainingSupportTest {

    private static ComputationGraph actNormGraph() {
        ComputationGraph g = new ComputationGraph(CinnGraphBuilder.create(new NeuralNetConfiguration.Builder()
                        .seed(3).dataType(DataType.DOUBLE).updater(new Adam(1e-3)))
                .flowInput("x", image(2, 4, 4))
                .add("an1", new ActNorm())
                .add("haar", new HaarDownsampling())
                .add("an2", new ActNorm())
                .add("cc", AffineCoupling.builder().subnet(Subnet.convolutional(3, 4)).build())
                .build("nll"));
        g.init();
        return g;
    }

    @Test
    void actNormDataDependentInitGivesZeroMeanUnitVariancePerChannel() {
        ComputationGraph g = actNormGraph();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 64, 2, 4, 4).muli(3).addi(7);
        List<String> done = ActNormInitializer.initialize(g, x);
        assertThat(done).containsExactly("an1", "an2");
        for (String v : done) {
            INDArray out = g.feedForward(new INDArray[]{x}, false).get(v);
            int channels = v.equals("an1") ? 2 : 8;
            int pixels = v.equals("an1") ? 16 : 4;
            INDArray data = out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, channels * pixels))
                    .reshape(64, channels, pixels).permute(1, 0, 2).dup().reshape(channels, -1);
            INDArray mean = data.mean(1);
            INDArray std = data.std(false, 1); // population std, as the initialiser uses
            for (int c = 0; c < channels; c++) {
                assertThat(mean.getDouble(c)).isCloseTo(0, within(1e-9));
                assertThat(std.getDouble(c)).isCloseTo(1, within(1e-5));
            }
        }
    }

    @Test
    void nonFiniteLossStopsTrainingWithTheIterationAndVertex() {
        ComputationGraph g = actNormGraph();
        g.addListeners(new FiniteLossGuard());
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 2, 4, 4);
        g.fit(new MultiDataSet(new INDArray[]{x}, new INDArray[]{Nd4j.zeros(DataType.DOUBLE, 4, 1)}));
        x.putScalar(0, Double.NaN);
        assertThatThrownBy(() -> g.fit(new MultiDataSet(new INDArray[]{x},
                new INDArray[]{Nd4j.zeros(DataType.DOUBLE, 4, 1)})))
                .isInstanceOf(NonFiniteLossException.class)
                .hasMessageContaining("Training diverged at iteration 1")
                .hasMessageContaining("loss NaN")
                .hasMessageContaining("first non-finite parameters in vertex 'an1'");
    }

    @Test
    void likelihoodMetricsOnKnownValues() {
        // z = 0 and log|det J| = 0: NLL per dimension is exactly ½ ln 2π
        INDArray flow = Nd4j.zeros(DataType.DOUBLE, 3, 5);
        assertThat(LikelihoodMetrics.nllNatsPerDim(flow)).isCloseTo(0.5 * Math.log(2 * Math.PI), within(1e-12));
        // z = (1, 1, 1, 1), log-det 2: (½·4 − 2)/4 + ½ ln 2π
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 2, 5);
        ones.putScalar(0, 4, 2.0);
        ones.putScalar(1, 4, 2.0);
        assertThat(LikelihoodMetrics.nllNatsPerDim(ones)).isCloseTo(0.5 * Math.log(2 * Math.PI), within(1e-12));
        // bits/dim of 8-bit data: + 8 bits for the 1/256 bin width when the model sees x01 directly
        assertThat(LikelihoodMetrics.bitsPerDim(0.0, 1.0)).isCloseTo(8.0, within(1e-12));
        assertThat(LikelihoodMetrics.bitsPerDim(Math.log(2), 0.5)).isCloseTo(8.0, within(1e-12));
        assertThat(LikelihoodMetrics.nllFromLoss(1.0)).isCloseTo(1.0 + 0.5 * Math.log(2 * Math.PI), within(1e-12));
    }
}
