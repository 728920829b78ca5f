package io.github.dl4jcinn.zoo.parallel;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.ActNorm;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.Subnet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

/**
 * A small class-conditional problem and graph for the parallel-training tests: D-dimensional Gaussians whose mean
 * depends on a one-hot class, and a cINN that exercises both vertex runtimes (SameDiff: ActNorm and a coupling
 * forced to SAMEDIFF; eager: the fully connected couplings and the permutations).
 */
final class MixtureData {
    static final int D = 8;
    static final int K = 3;

    private MixtureData() {}

    static ComputationGraphConfiguration graph(long seed) {
        return CinnGraphBuilder.create(new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                        .updater(new Adam(1e-2)))
                .flowInput("x", FlowShape.vector(D))
                .conditionInput("c", InputType.feedForward(K))
                .add("an0", new ActNorm())
                .add("cc1", AffineCoupling.builder().subnet(Subnet.fullyConnected(32)).vectorCondition(K).build(), "c")
                .add("p1", new FixedPermutation(1))
                .add("cc2", AffineCoupling.builder().subnet(Subnet.fullyConnected(32)).vectorCondition(K)
                        .implementation(AffineCoupling.Implementation.SAMEDIFF).build(), "c")
                .add("p2", new FixedPermutation(2))
                .add("cc3", AffineCoupling.builder().subnet(Subnet.fullyConnected(32)).vectorCondition(K).build(), "c")
                .build("nll");
    }

    /** {@code n} examples: class k = i mod K, x = mean_k + 0.5 * noise with mean_k = 3 * (e_k - e_{k+K}). */
    static List<MultiDataSet> batches(int n, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<MultiDataSet> out = new ArrayList<>();
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            INDArray x = Nd4j.randn(DataType.FLOAT, b, D).muli(0.5);
            INDArray c = Nd4j.zeros(DataType.FLOAT, b, K);
            for (int i = 0; i < b; i++) {
                int k = (from + i) % K;
                c.putScalar(i, k, 1.0);
                x.putScalar(i, k, x.getDouble(i, k) + 3.0);
                x.putScalar(i, k + K, x.getDouble(i, k + K) - 3.0);
            }
            out.add(new MultiDataSet(new INDArray[]{x, c}, new INDArray[]{Nd4j.zeros(DataType.FLOAT, b, 1)}));
        }
        return out;
    }

    static MultiDataSetIterator iterator(int n, int batch, long seed) {
        return new ListIterator(batches(n, batch, seed));
    }

    /** In-memory, resettable, no prefetch. */
    static final class ListIterator implements MultiDataSetIterator {
        private final List<MultiDataSet> data;
        private int cursor;
        private MultiDataSetPreProcessor pre;

        ListIterator(List<MultiDataSet> data) { this.data = data; }

        @Override public org.nd4j.linalg.dataset.api.MultiDataSet next(int num) { return next(); }
        @Override public void setPreProcessor(MultiDataSetPreProcessor p) { pre = p; }
        @Override public MultiDataSetPreProcessor getPreProcessor() { return pre; }
        @Override public boolean resetSupported() { return true; }
        @Override public boolean asyncSupported() { return false; }
        @Override public void reset() { cursor = 0; }
        @Override public boolean hasNext() { return cursor < data.size(); }
        @Override public org.nd4j.linalg.dataset.api.MultiDataSet next() { return data.get(cursor++); }
    }
}
