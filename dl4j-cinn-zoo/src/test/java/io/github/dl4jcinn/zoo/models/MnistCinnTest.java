package io.github.dl4jcinn.zoo.models;

import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MnistCinnTest {

    @Test
    void paperConfigurationHasTheDocumentedStructureAndParameterCount() {
        MnistCinn paper = MnistCinn.paper().build();
        assertThat(paper.parameterCount()).isEqualTo(MnistCinn.PAPER_PARAMETERS).isEqualTo(54_424_321L);
        ComputationGraphConfiguration conf = paper.conf(); // configuration only: no 54 M parameter allocation
        Map<String, GraphVertex> v = conf.getVertices();
        for (int i = 0; i < 24; i++) {
            assertThat(v.get("cc" + i)).isInstanceOf(AffineCoupling.class);
            assertThat(v.get("perm" + i)).isInstanceOf(FixedPermutation.class);
        }
        assertThat(v).doesNotContainKey("cc24");
        AffineCoupling cc = (AffineCoupling) v.get("cc0");
        assertThat(cc.getSubnet().getHidden()).containsExactly(512, 512, 512);
        assertThat(cc.getClampAlpha()).isEqualTo(1.9);
        assertThat(cc.getSubnet().isZeroLastLayer()).isTrue();
        assertThat(((FixedPermutation) v.get("perm0")).getSeed())
                .isNotEqualTo(((FixedPermutation) v.get("perm1")).getSeed());
        assertThat(conf.getNetworkInputs()).containsExactly("x", "label");
        assertThat(conf.getNetworkOutputs()).containsExactly("nll");

        // updater: Adam(0.9, 0.999, 1e-6), lr 1e-4 -> 1e-6 over the planned iterations
        Adam adam = paper.updater();
        assertThat(adam.getBeta1()).isEqualTo(0.9);
        assertThat(adam.getBeta2()).isEqualTo(0.999);
        assertThat(adam.getEpsilon()).isEqualTo(1e-6);
        ISchedule lr = adam.getLearningRateSchedule();
        assertThat(lr.valueAt(0, 0)).isCloseTo(1e-4, within(1e-12));
        assertThat(lr.valueAt(paper.decayIterations(), 0)).isCloseTo(1e-6, within(1e-9));

        // L2 1e-5 on the vertices' weights and biases (applied before Adam, like PyTorch's weight_decay)
        SameDiffVertex sdv = (SameDiffVertex) v.get("cc3");
        for (String p : new String[]{"s1W0", "s2b3"}) {
            List<Regularization> regs = sdv.getRegularizationByParam(p);
            assertThat(regs).hasSize(1);
            assertThat(regs.get(0)).isInstanceOf(L2Regularization.class);
            assertThat(((L2Regularization) regs.get(0)).getL2().valueAt(0, 0)).isEqualTo(1e-5);
        }
    }

    @Test
    void tinyModelShapesParametersAndInverse() {
        MnistCinn tiny = MnistCinn.tiny().build();
        ComputationGraph g = tiny.init();
        assertThat(g.params().length()).isEqualTo(tiny.parameterCount());
        // per block: 2 x (402*32 + 32 + 32*784 + 784)
        assertThat(tiny.parameterCount()).isEqualTo(4L * 2 * (402 * 32 + 32 + 32 * 784 + 784) + 1);

        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 1, 28, 28);
        INDArray c = Nd4j.zeros(DataType.FLOAT, 5, 10);
        for (int i = 0; i < 5; i++) c.putScalar(i, i, 1);
        INDArray out = g.output(false, x, c)[0];
        assertThat(out.shape()).containsExactly(5, 785);

        CinnInverse inv = CinnInverse.of(g);
        assertThat(inv.latentSize()).isEqualTo(784);
        INDArray z = out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 784));
        INDArray back = inv.decode(z, Map.of("label", c)).x();
        assertThat(back.shape()).containsExactly(5, 1, 28, 28);
        assertThat(back.sub(x).amaxNumber().doubleValue()).isLessThan(1e-4);
    }

    @Test
    void everyHyperparameterIsOverridable() {
        MnistCinn m = MnistCinn.paper().blocks(3).hidden(16, 8).clampAlpha(1.5).permutations(false)
                .zeroInitLastLayer(false).learningRate(2e-3).finalLearningRate(2e-5).decayIterations(100)
                .batchSize(64).noiseSigma(0.05).l2(0).seed(9).build();
        ComputationGraphConfiguration conf = m.conf();
        assertThat(conf.getVertices()).containsKeys("cc0", "cc2").doesNotContainKeys("cc3", "perm0");
        AffineCoupling cc = (AffineCoupling) conf.getVertices().get("cc1");
        assertThat(cc.getSubnet().getHidden()).containsExactly(16, 8);
        assertThat(cc.getClampAlpha()).isEqualTo(1.5);
        assertThat(cc.getSubnet().isZeroLastLayer()).isFalse();
        assertThat(m.schedule().valueAt(100, 0)).isCloseTo(2e-5, within(1e-10));
        assertThat(m.batchSize()).isEqualTo(64);
        assertThat(m.noiseSigma()).isEqualTo(0.05);
        assertThat(((SameDiffVertex) conf.getVertices().get("cc0")).getRegularizationByParam("s1W0")).isNullOrEmpty();
        assertThat(MnistCinn.preset("quick").build().blocks()).isEqualTo(8);
        assertThatThrownBy(() -> MnistCinn.preset("huge")).hasMessageContaining("paper, quick or tiny");
        assertThatThrownBy(() -> MnistCinn.paper().blocks(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void standardizeIsAFixedBlockWhoseLogDetEntersTheLikelihood() {
        ComputationGraph plain = MnistCinn.tiny().init();
        ComputationGraph std = MnistCinn.tiny().standardize(true).init();
        assertThat(std.params().length()).isEqualTo(plain.params().length()); // no parameters
        assertThat(std.getConfiguration().getVertices().get("standardize")).isInstanceOf(Standardize.class);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
        INDArray c = Nd4j.zeros(DataType.FLOAT, 3, 10);
        for (int i = 0; i < 3; i++) c.putScalar(i, i, 1);
        // at initialisation every coupling is the identity: z = (x - mean)/std, log-det = -784 ln std
        INDArray out = std.output(false, x, c)[0];
        INDArray expected = x.reshape(3, 784).sub(Standardize.MNIST_MEAN).div(Standardize.MNIST_STD);
        INDArray z = out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 784));
        CinnInverse inv = CinnInverse.of(std);
        INDArray back = inv.decode(z, Map.of("label", c)).x();
        assertThat(back.sub(x).amaxNumber().doubleValue()).isLessThan(1e-4);
        assertThat(out.getDouble(0, 784)).isCloseTo(-784 * Math.log(Standardize.MNIST_STD), within(1e-2));
        // a permutation reorders z, so compare sorted values
        double[] zs = z.getRow(1).toDoubleVector();
        double[] es = expected.getRow(1).toDoubleVector();
        java.util.Arrays.sort(zs);
        java.util.Arrays.sort(es);
        assertThat(zs).containsExactly(es, within(1e-4));
    }

    @Test
    void labelEmbeddingIsAJointlyTrainedConditioningNetworkTheInverseEvaluatesToo() {
        MnistCinn m = MnistCinn.tiny().labelEmbedding(6).learningRate(1e-2).build();
        ComputationGraph g = m.init();
        assertThat(g.params().length()).isEqualTo(m.parameterCount())
                .isEqualTo(10 * 6 + 6 + 4L * 2 * (398 * 32 + 32 + 32 * 784 + 784) + 1);
        assertThat(g.getConfiguration().getVertexInputs().get("cc0")).contains(MnistCinn.LABEL_EMBEDDING);
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 1, 28, 28);
        INDArray c = Nd4j.zeros(DataType.FLOAT, 6, 10);
        for (int i = 0; i < 6; i++) c.putScalar(i, i % 3, 1);
        INDArray embedding = g.getLayer(MnistCinn.LABEL_EMBEDDING).params().dup();
        for (int i = 0; i < 3; i++) {
            g.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{x, c}, new INDArray[]{Nd4j.zeros(DataType.FLOAT, 6, 1)}));
        }
        // trained by the same loss: the cINN's gradient reaches the conditioning network
        assertThat(g.getLayer(MnistCinn.LABEL_EMBEDDING).params().sub(embedding).amaxNumber().doubleValue())
                .isGreaterThan(1e-3);
        INDArray out = g.output(false, x, c)[0];
        INDArray z = out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 784));
        INDArray back = CinnInverse.of(g).decode(z, Map.of("label", c)).x();
        assertThat(back.sub(x).amaxNumber().doubleValue()).isLessThan(1e-4);
        // another label gives another image from the same z once the embedding has been trained
        INDArray other = Nd4j.zeros(DataType.FLOAT, 6, 10);
        for (int i = 0; i < 6; i++) other.putScalar(i, (i % 3) + 5, 1);
        assertThat(CinnInverse.of(g).decode(z, Map.of("label", other)).x().sub(x).amaxNumber().doubleValue())
                .isGreaterThan(1e-3);
        assertThatThrownBy(() -> MnistCinn.tiny().labelEmbedding(-1)).hasMessageContaining("label embedding");
    }
}
