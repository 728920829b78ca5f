package io.github.dl4jcinn.zoo.training;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;
import java.util.Map;

/**
 * Outcome of {@link CinnTrainer#fit}: the trained graph (the restored one when resuming), the final state, the
 * metrics written to {@code metrics.json}, and the files written ({@code null} without an output directory).
 */
public record TrainingResult(ComputationGraph graph, TrainerState state, Map<String, Object> metrics,
                             Path modelFile, Path metricsFile, Path curveFile) {
}
