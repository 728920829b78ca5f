package io.github.dl4jcinn.layers.training;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.ActNorm;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data-dependent initialisation of every {@link ActNorm} (Glow): sets bias and log-scale so that, on the given
 * batch, each channel leaves the block with zero mean and unit variance. Blocks are initialised in topological
 * order, each after the ones before it, so later blocks see already-normalised inputs. Call once before training.
 */
public final class ActNormInitializer {
    private ActNormInitializer() {}

    /** Returns the names of the initialised vertices. {@code inputs} are the graph's input arrays, in input order. */
    public static List<String> initialize(ComputationGraph graph, INDArray... inputs) {
        List<String> done = new ArrayList<>();
        Map<String, GraphVertex> confs = graph.getConfiguration().getVertices();
        for (int idx : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[idx].getVertexName();
            if (!(confs.get(name) instanceof ActNorm)) {
                continue;
            }
            ActNorm block = (ActNorm) confs.get(name);
            String source = graph.getConfiguration().getVertexInputs().get(name).get(0);
            Map<String, INDArray> acts = graph.feedForward(inputs, false);
            INDArray flow = acts.get(source);
            FlowShape shape = block.inputShape();
            INDArray data = flow.get(NDArrayIndex.all(), NDArrayIndex.interval(0, shape.size())).castTo(DataType.DOUBLE);
            // [N, C, H*W] -> per-channel statistics over examples and pixels
            INDArray perChannel = data.reshape(data.size(0), shape.channels(), shape.pixels())
                    .permute(1, 0, 2).dup().reshape(shape.channels(), -1);
            INDArray mean = perChannel.mean(1);
            INDArray std = perChannel.std(false, 1).addi(1e-6);
            Map<String, INDArray> params = graph.getVertex(name).paramTable(false);
            params.get(ActNorm.BIAS).assign(mean.neg().reshape(1, shape.channels()));
            params.get(ActNorm.LOG_SCALE).assign(Transforms.log(std, true).negi().reshape(1, shape.channels()));
            done.add(name);
        }
        return done;
    }
}
