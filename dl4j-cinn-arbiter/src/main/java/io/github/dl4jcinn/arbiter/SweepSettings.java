package io.github.dl4jcinn.arbiter;

import java.util.Locale;
import java.util.Properties;

/**
 * How every candidate of a sweep is trained and where results go. Travels inside Arbiter's data-source
 * {@link Properties} (with the {@link DigitDataSource} keys), so a whole sweep is one serialisable Arbiter
 * {@code OptimizationConfiguration} and {@link CinnTaskCreator} needs no other state.
 *
 * @param iterations         training iterations per candidate (all candidates the same: curves are comparable)
 * @param validateEvery      validation bits/dim every this many iterations (and at the end)
 * @param validationSubset   validation images used for the intermediate points (the final score uses all)
 * @param logEvery           training-loss curve resolution (iterations per averaged point)
 * @param outputDir          sweep directory: results CSV, per-candidate curves; {@code null}: keep in memory only
 * @param resume             skip candidates already in the results CSV
 */
public record SweepSettings(int iterations, int validateEvery, int validationSubset, int logEvery, String outputDir,
                            boolean resume) {

    public static final String ITERATIONS = "sweep.iterations";
    public static final String VALIDATE_EVERY = "sweep.validateEvery";
    public static final String VALIDATION_SUBSET = "sweep.validationSubset";
    public static final String LOG_EVERY = "sweep.logEvery";
    public static final String OUTPUT_DIR = "sweep.outputDir";
    public static final String RESUME = "sweep.resume";

    public SweepSettings {
        if (iterations <= 0 || validateEvery <= 0 || validationSubset <= 0 || logEvery <= 0) {
            throw new IllegalArgumentException("iterations, validateEvery, validationSubset and logEvery must be > 0: "
                    + iterations + ", " + validateEvery + ", " + validationSubset + ", " + logEvery);
        }
    }

    /** Writes these settings into {@code p} (returned). */
    public Properties into(Properties p) {
        p.setProperty(ITERATIONS, Integer.toString(iterations));
        p.setProperty(VALIDATE_EVERY, Integer.toString(validateEvery));
        p.setProperty(VALIDATION_SUBSET, Integer.toString(validationSubset));
        p.setProperty(LOG_EVERY, Integer.toString(logEvery));
        if (outputDir != null) {
            p.setProperty(OUTPUT_DIR, outputDir);
        }
        p.setProperty(RESUME, Boolean.toString(resume));
        return p;
    }

    public static SweepSettings from(Properties p) {
        if (p == null || p.getProperty(ITERATIONS) == null) {
            throw new IllegalArgumentException("data source properties lack the sweep settings (" + ITERATIONS
                    + ", ...): build them with SweepSettings.into(...)");
        }
        return new SweepSettings(Integer.parseInt(p.getProperty(ITERATIONS)),
                Integer.parseInt(p.getProperty(VALIDATE_EVERY, "100")),
                Integer.parseInt(p.getProperty(VALIDATION_SUBSET, "500")),
                Integer.parseInt(p.getProperty(LOG_EVERY, "10")),
                p.getProperty(OUTPUT_DIR),
                Boolean.parseBoolean(p.getProperty(RESUME, "true")));
    }

    /** What must match for a finished candidate to count as done when resuming. */
    public String fingerprint(Properties data) {
        java.util.TreeMap<String, String> d = new java.util.TreeMap<>();
        for (String k : data.stringPropertyNames()) {
            if (!k.startsWith("sweep.")) d.put(k, data.getProperty(k));
        }
        return String.format(Locale.ROOT, "it%d-val%d/%d-%08x", iterations, validateEvery, validationSubset,
                d.toString().hashCode());
    }
}
