package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Ablation;
import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Architecture;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.CheckerboardSqueeze;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.layers.blocks.FixedOrthogonalConv1x1;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.zoo.conditioning.ConditioningMode;
import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every ablation builds the model it names, and the models train. */
class CinnModelsTest {

    private static final LabeledImages DATA = DigitDataSource.synthetic(64, 3);

    private static CinnCandidateConfig small(Architecture a) {
        CinnCandidateConfig c = new CinnCandidateConfig();
        c.setArchitecture(a);
        c.setBlocks(1);
        c.setFcBlocks(1);
        c.setFcWidth(16);
        c.setConvWidth(4);
        c.setBatchSize(16);
        return c;
    }

    private static long count(ComputationGraphConfiguration conf, Class<?> type) {
        return conf.getVertices().values().stream().filter(type::isInstance).count();
    }

    @ParameterizedTest
    @EnumSource(Ablation.class)
    void eachAblationChangesExactlyWhatItNames(Ablation ablation) {
        CinnCandidateConfig c = small(Architecture.MULTISCALE);
        c.setAblation(ablation);
        ComputationGraphConfiguration conf = CinnModels.conf(c);
        Map<String, GraphVertex> v = conf.getVertices();
        boolean haar = ablation != Ablation.NO_HAAR;
        assertThat(count(conf, HaarDownsampling.class)).isEqualTo(haar ? 2 : 0);
        assertThat(count(conf, CheckerboardSqueeze.class)).isEqualTo(haar ? 0 : 2);
        boolean perm = ablation != Ablation.NO_PERMUTATION;
        assertThat(count(conf, FixedOrthogonalConv1x1.class)).isEqualTo(perm ? 2 : 0);
        assertThat(count(conf, FixedPermutation.class)).isEqualTo(perm ? 1 : 0);
        AffineCoupling cc = (AffineCoupling) v.get("cc1_0");
        assertThat(cc.getClamp()).isEqualTo(ablation == Ablation.NO_CLAMP ? Clamp.NONE : Clamp.ATAN);
        assertThat(cc.getSubnet().isZeroLastLayer()).isEqualTo(ablation != Ablation.NO_INIT);
        assertThat(cc.getSubnet().getKind()).isEqualTo(Subnet.Kind.FULLY_CONNECTED);
        assertThat(c.resolved().getNoiseSigma()).isEqualTo(ablation == Ablation.NO_NOISE ? 0.0 : 0.02);
    }

    @Test
    void multiScaleModelTrainsAndKeepsEveryDimension() {
        CinnCandidateConfig c = small(Architecture.MULTISCALE);
        ComputationGraph g = CinnModels.build(c);
        MultiDataSet b = ConditionalImageIterator.builder(DATA).batchSize(16).build().next();
        INDArray out = g.output(false, b.getFeatures())[0];
        assertThat(out.shape()).containsExactly(16, 784 + 1);
        double before = g.score(b);
        for (int i = 0; i < 15; i++) g.fit(b);
        assertThat(g.score(b)).isLessThan(before);
        assertThat(g.params().length()).isGreaterThan(1000); // vertex parameters are counted and trained
    }

    @Test
    void convolutionalSubnetsAreAvailableForTheImageStages() {
        CinnCandidateConfig c = small(Architecture.MULTISCALE);
        c.setConvSubnets(true);
        ComputationGraphConfiguration conf = CinnModels.conf(c);
        AffineCoupling cc = (AffineCoupling) conf.getVertices().get("cc2_0");
        assertThat(cc.getSubnet().getKind()).isEqualTo(Subnet.Kind.CONVOLUTIONAL);
        assertThat(((AffineCoupling) conf.getVertices().get("fccc0")).getSubnet().getKind())
                .isEqualTo(Subnet.Kind.FULLY_CONNECTED);
    }

    @Test
    void fcModelIsTheZoosPaperModel() {
        CinnCandidateConfig c = small(Architecture.FC);
        c.setBlocks(3);
        assertThat(CinnModels.conf(c).toJson()).isEqualTo(CinnModels.paperModel(c.resolved()).conf().toJson());
        assertThat(count(CinnModels.conf(c), AffineCoupling.class)).isEqualTo(3);
    }

    @Test
    void fixedConditioningNetworkIsFrozenAndJointOneTrains() {
        MultiDataSet b = ConditionalImageIterator.builder(DATA).batchSize(16).build().next();
        for (ConditioningMode mode : new ConditioningMode[]{ConditioningMode.FIXED, ConditioningMode.JOINT}) {
            CinnCandidateConfig c = small(Architecture.FC);
            c.setConditioning(mode);
            c.setConditionWidth(8);
            ComputationGraph g = CinnModels.build(c);
            GraphVertex cn = g.getConfiguration().getVertices().get("cn0");
            assertThat(((LayerVertex) cn).getLayerConf().getLayer() instanceof FrozenLayer)
                    .isEqualTo(mode == ConditioningMode.FIXED);
            INDArray before = g.getLayer("cn0").params().dup();
            for (int i = 0; i < 3; i++) g.fit(b);
            boolean changed = !before.equals(g.getLayer("cn0").params());
            assertThat(changed).as(mode.toString()).isEqualTo(mode == ConditioningMode.JOINT);
        }
    }
}
