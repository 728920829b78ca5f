package io.github.dl4jcinn.zoo.cli;

import org.deeplearning4j.optimize.api.TrainingListener;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * {@code --ui}: DL4J's own training UI (a {@code StatsListener} feeding an in-memory stats storage attached to
 * {@code UIServer}, by default on http://localhost:9000). Loaded by reflection so the UI and its web server are
 * not on the classpath of users who do not want them; without the {@code deeplearning4j-ui} artifact the command
 * fails with instructions instead.
 */
final class TrainingUi {

    static final String UI_SERVER = "org.deeplearning4j.ui.api.UIServer";
    static final String STATS_LISTENER = "org.deeplearning4j.ui.model.stats.StatsListener";
    static final String STORAGE = "org.deeplearning4j.ui.model.storage.InMemoryStatsStorage";
    static final String ROUTER = "org.deeplearning4j.core.storage.StatsStorageRouter";
    static final String STATS_STORAGE = "org.deeplearning4j.core.storage.StatsStorage";

    private TrainingUi() {}

    static boolean available() {
        try {
            Class.forName(UI_SERVER);
            Class.forName(STATS_LISTENER);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Starts the UI server and returns the listener to add to the graph. */
    static TrainingListener start(int port) {
        if (!available()) {
            throw new IllegalStateException("--ui needs DL4J's training UI (artifact org.deeplearning4j:"
                    + "deeplearning4j-ui:1.0.0-M2.1), which this build does not include. Build the zoo with it: "
                    + "./mvnw -q -pl dl4j-cinn-zoo -am install -DskipTests -Pui   (then run the same command again), "
                    + "or leave out --ui.");
        }
        try {
            System.setProperty("org.deeplearning4j.ui.port", Integer.toString(port));
            Object storage = Class.forName(STORAGE).getConstructor().newInstance();
            Class<?> serverClass = Class.forName(UI_SERVER);
            Object server = serverClass.getMethod("getInstance").invoke(null);
            Method attach = serverClass.getMethod("attach", Class.forName(STATS_STORAGE));
            attach.invoke(server, storage);
            Constructor<?> ctor = Class.forName(STATS_LISTENER).getConstructor(Class.forName(ROUTER));
            Object listener = ctor.newInstance(storage);
            String address = String.valueOf(serverClass.getMethod("getAddress").invoke(server));
            System.err.println("DL4J training UI: " + address + "/train");
            return (TrainingListener) listener;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not start DL4J's training UI: " + e, e);
        }
    }
}
