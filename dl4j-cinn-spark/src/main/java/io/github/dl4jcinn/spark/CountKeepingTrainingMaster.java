package io.github.dl4jcinn.spark;

import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;

import java.util.Collection;

/**
 * DL4J's {@link ParameterAveragingTrainingMaster} with one fix: the executors' networks continue the driver's
 * iteration and epoch counts.
 *
 * <p>The stock worker builds its network from {@code ComputationGraphConfiguration.clone()}, which does not copy the
 * counts, so every executor network starts each averaging round at iteration 0 (observed: with averaging frequency 2
 * the executors only ever report iterations 0 and 1). Everything that depends on the iteration then restarts every
 * round: learning-rate schedules never advance, and Adam's bias correction {@code sqrt(1 - b2^t) / (1 - b1^t)} is
 * applied afresh to already warmed-up moment estimates, which scales every step by about 0.15 to 0.3 instead of 1.
 * Here the worker sets the counts the driver had when the round was broadcast.
 *
 * <p>Only {@link SparkComputationGraph} training is changed; everything else is the stock master.
 */
public class CountKeepingTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;

    public CountKeepingTrainingMaster(ParameterAveragingTrainingMaster.Builder builder) {
        super(builder);
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
        ComputationGraph net = graph.getNetwork();
        // what the stock master broadcasts
        NetBroadcastTuple tuple = new NetBroadcastTuple(net.getConfiguration(), net.params(),
                net.getUpdater().getStateViewArray());
        Broadcast<NetBroadcastTuple> broadcast = graph.getSparkContext().broadcast(tuple);
        WorkerConfiguration configuration = new WorkerConfiguration(true, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        ComputationGraphConfiguration conf = net.getConfiguration();
        return new Worker(broadcast, saveUpdater, configuration, trainingHookList, listeners, getRouterProvider(),
                conf.getIterationCount(), conf.getEpochCount());
    }

    /** The stock worker, plus the driver's counts on the network it builds. */
    static final class Worker extends ParameterAveragingTrainingWorker {
        private static final long serialVersionUID = 1L;
        private final int iterationCount;
        private final int epochCount;

        Worker(Broadcast<NetBroadcastTuple> broadcast, boolean saveUpdater, WorkerConfiguration configuration,
               Collection<TrainingHook> hooks, Collection<TrainingListener> listeners,
               StatsStorageRouterProvider routerProvider, int iterationCount, int epochCount) {
            super(broadcast, saveUpdater, configuration, hooks, listeners, routerProvider);
            this.iterationCount = iterationCount;
            this.epochCount = epochCount;
        }

        @Override
        public ComputationGraph getInitialModelGraph() {
            ComputationGraph net = super.getInitialModelGraph();
            net.getConfiguration().setIterationCount(iterationCount);
            net.getConfiguration().setEpochCount(epochCount);
            return net;
        }
    }
}
