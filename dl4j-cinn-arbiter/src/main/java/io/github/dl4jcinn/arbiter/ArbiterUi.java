package io.github.dl4jcinn.arbiter;

import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;

/**
 * {@code --ui}: Arbiter's own UI ({@code arbiter-ui}: an {@code ArbiterStatusListener} writing to an in-memory stats
 * storage attached to DL4J's {@code UIServer}, page {@code /arbiter}). Loaded by reflection so that the UI and its
 * web server stay off the default classpath: build with {@code -Parbiter-ui} to include them.
 */
final class ArbiterUi {

    static final String UI_SERVER = "org.deeplearning4j.ui.api.UIServer";
    static final String STORAGE = "org.deeplearning4j.ui.model.storage.InMemoryStatsStorage";
    static final String STATS_STORAGE = "org.deeplearning4j.core.storage.StatsStorage";
    static final String ROUTER = "org.deeplearning4j.core.storage.StatsStorageRouter";
    static final String LISTENER = "org.deeplearning4j.arbiter.ui.listener.ArbiterStatusListener";

    private static final Logger LOG = LoggerFactory.getLogger(ArbiterUi.class);

    private ArbiterUi() {}

    static boolean available() {
        try {
            Class.forName(UI_SERVER);
            Class.forName(LISTENER);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Starts the UI server; returns the status listener to add to the runner (failures in it are logged only). */
    static StatusListener start(int port, PrintStream err) {
        if (!available()) {
            throw new IllegalStateException("--ui needs Arbiter's UI (org.deeplearning4j:arbiter-ui:1.0.0-beta7 with "
                    + "deeplearning4j-ui:1.0.0-M2.1), which this build does not include. Build with it: "
                    + "./mvnw -q -pl dl4j-cinn-arbiter -am install -DskipTests -Parbiter-ui, or leave out --ui.");
        }
        try {
            System.setProperty("org.deeplearning4j.ui.port", Integer.toString(port));
            Object storage = Class.forName(STORAGE).getConstructor().newInstance();
            Class<?> server = Class.forName(UI_SERVER);
            Object instance = server.getMethod("getInstance").invoke(null);
            server.getMethod("attach", Class.forName(STATS_STORAGE)).invoke(instance, storage);
            StatusListener l = (StatusListener) Class.forName(LISTENER).getConstructor(Class.forName(ROUTER))
                    .newInstance(storage);
            err.println("Arbiter UI: " + server.getMethod("getAddress").invoke(instance) + "/arbiter");
            return new Guarded(l);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not start Arbiter's UI: " + e, e);
        }
    }

    /** A status listener whose exceptions never reach the sweep. */
    static final class Guarded implements StatusListener {
        private final StatusListener delegate;

        Guarded(StatusListener delegate) {
            this.delegate = delegate;
        }

        private void guard(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Arbiter UI listener failed: {}", e.toString());
            }
        }

        @Override
        public void onInitialization(IOptimizationRunner runner) {
            guard(() -> delegate.onInitialization(runner));
        }

        @Override
        public void onShutdown(IOptimizationRunner runner) {
            guard(() -> delegate.onShutdown(runner));
        }

        @Override
        public void onRunnerStatusChange(IOptimizationRunner runner) {
            guard(() -> delegate.onRunnerStatusChange(runner));
        }

        @Override
        public void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner runner, OptimizationResult result) {
            guard(() -> delegate.onCandidateStatusChange(info, runner, result));
        }

        @Override
        public void onCandidateIteration(CandidateInfo info, Object candidate, int iteration) {
            guard(() -> delegate.onCandidateIteration(info, candidate, iteration));
        }
    }
}
