package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.zoo.color.ColorModelFiles;
import io.github.dl4jcinn.zoo.color.ColorTraining;
import io.github.dl4jcinn.zoo.color.ColorizationCinn;
import io.github.dl4jcinn.zoo.color.LabData;
import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.report.Json;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Preset} with Arbiter's {@link LocalOptimizationRunner} (one candidate at a time: the ND4J backend
 * already uses the cores) and writes the report.
 *
 * <p>Sizing: unless {@link Options#iterations} is given, the iterations per candidate are derived from the time
 * budget: a few timed training steps of the distinct model shapes of the sweep give seconds per iteration, the budget
 * is split evenly over the candidates (minus validation time), and every candidate trains for the same number of
 * iterations so that curves and scores compare at equal training. The plan is stored in {@value #PLAN}; a resumed
 * sweep reuses it, so finished candidates (keys in the CSV) stay valid and are skipped.
 *
 * <p>The budget also ends the sweep: no new candidate starts after 1.5x the budget (Arbiter's
 * {@link MaxTimeCondition}); candidates not run are listed in the report and run when the sweep is resumed.
 */
public final class AblationSweep {

    public static final String PLAN = "sweep.json";
    public static final String ARBITER_CONFIG = "arbiter-config.json";

    private static final Logger LOG = LoggerFactory.getLogger(AblationSweep.class);

    /** Everything the command can set. */
    public static final class Options {
        public String preset = "paper-fig10";
        public Duration budget = Duration.ofMinutes(20);
        public Path out;
        /** Fixed iterations per candidate ({@code null}: from the budget). */
        public Integer iterations;
        public String dataset;
        public String dataDir;
        /** Colorization: directory of photos (default {@value ColorTileDataSource#DEFAULT_PHOTOS}). */
        public String photoDir;
        public Integer trainExamples;
        public Integer validationExamples;
        /**
         * Validation images for the intermediate curve points (default: all, so every point of a curve is on the same
         * images as the final score).
         */
        public int validationSubset = Integer.MAX_VALUE;
        /** Intermediate validation points per candidate. */
        public int validationPoints = 8;
        public int randomCandidates = 8;
        public long seed = 12345;
        public boolean resume = true;
        /** Base configuration (the preset's default, changed by model options). */
        public CinnCandidateConfig base;
        public List<StatusListener> listeners = new ArrayList<>();
    }

    /** What a finished (or budget-stopped) sweep produced. */
    public record Outcome(Preset preset, SweepSettings settings, List<CandidateResult> results,
                          List<CinnCandidateConfig> notRun, Path report, Path curves, Path csv) {}

    private AblationSweep() {}

    public static Outcome run(Options o) throws IOException {
        CinnCandidateConfig base = o.base != null ? o.base : Presets.base(o.preset);
        Preset preset = Presets.create(o.preset, base, o.randomCandidates);
        Path out = o.out.toAbsolutePath().normalize();
        Files.createDirectories(out);
        SweepResults.close(out);
        if (!o.resume) {
            clearPrevious(out);
        }
        SweepResults results = SweepResults.forDirectory(out);

        Properties data = dataProperties(o, preset, base);
        if (preset.colorization()) {
            data.setProperty(ColorTileDataSource.CACHE_DIR, out.resolve("tile-cache").toString());
        }
        DataSource source = CinnTaskCreator.instantiate(preset.dataSource(), data);
        String dataDescription = describe(source);
        LOG.info("Preset {}: {} candidates; data {}", preset.name(), preset.candidates(), dataDescription);

        List<CinnCandidateConfig> planned = preset.plannedCandidates(o.seed);
        SweepSettings settings = plan(o, preset, planned, source, out);
        settings.into(data);
        writePlan(out, o, preset, settings, data);

        OptimizationConfiguration config = new OptimizationConfiguration.Builder()
                .candidateGenerator(preset.generator(o.seed))
                .dataSource(preset.dataSource(), data)
                .scoreFunction(new ValidationBitsPerDimScore())
                .terminationConditions(terminationConditions(preset, o.budget))
                .rngSeed(o.seed)
                .build();
        Files.writeString(out.resolve(ARBITER_CONFIG), config.toJson(), StandardCharsets.UTF_8);

        LocalOptimizationRunner runner = new LocalOptimizationRunner(1, config, new CinnTaskCreator());
        for (StatusListener l : o.listeners) {
            runner.addListeners(l);
        }
        long t0 = System.nanoTime();
        runner.execute();
        LOG.info(String.format(Locale.ROOT, "Sweep finished in %.1f min: %d completed, %d failed (Arbiter counts)",
                (System.nanoTime() - t0) / 6e10, runner.numCandidatesCompleted(), runner.numCandidatesFailed()));

        List<CandidateResult> all = relevant(results.all(), planned, settings, data);
        List<CinnCandidateConfig> notRun = notRun(all, planned, settings, data);
        SweepReport report = new SweepReport(preset, settings, dataDescription, o.budget);
        Path png = out.resolve(SweepReport.CURVES);
        report.writeCurves(all, png);
        Path md = out.resolve(SweepReport.REPORT);
        Files.writeString(md, report.markdown(all, notRun), StandardCharsets.UTF_8);
        LOG.info("Wrote {}, {} and {}", out.resolve(SweepResults.CSV), png, md);
        return new Outcome(preset, settings, all, notRun, md, png, out.resolve(SweepResults.CSV));
    }

    /** The data-source properties of the preset, with the command's overrides. */
    static Properties dataProperties(Options o, Preset preset, CinnCandidateConfig base) {
        Properties data = new Properties();
        if (preset.colorization()) {
            data.setProperty(ColorTileDataSource.PHOTO_DIR, o.photoDir != null ? o.photoDir
                    : ColorTileDataSource.DEFAULT_PHOTOS);
            int size = io.github.dl4jcinn.zoo.color.ColorizationCinn.preset(base.getColorModel()).lSize;
            data.setProperty(ColorTileDataSource.TILE_SIZE, String.valueOf(size));
            data.setProperty(ColorTileDataSource.SHORT_SIDE, String.valueOf(Math.max(256, 4 * size)));
            return data;
        }
        data.setProperty(DigitDataSource.DATASET, o.dataset != null ? o.dataset : preset.dataset());
        if (o.dataDir != null) {
            data.setProperty(DigitDataSource.DATA_DIR, o.dataDir);
        }
        data.setProperty(DigitDataSource.TRAIN_EXAMPLES, String.valueOf(
                o.trainExamples != null ? o.trainExamples : preset.trainExamples()));
        data.setProperty(DigitDataSource.VALIDATION_EXAMPLES, String.valueOf(
                o.validationExamples != null ? o.validationExamples : preset.validationExamples()));
        return data;
    }

    private static String describe(DataSource source) {
        if (source instanceof DigitDataSource) {
            return ((DigitDataSource) source).describe();
        }
        return ((ColorTileDataSource) source).describe();
    }

    private static int validationCount(DataSource source) {
        Object v = source.testData();
        return v instanceof LabData ? ((LabData) v).size() : ((LabeledImages) v).count();
    }

    private static List<TerminationCondition> terminationConditions(Preset preset, Duration budget) {
        long hardCapSeconds = Math.max(budget.getSeconds() * 3 / 2, budget.getSeconds() + 60);
        return List.of(new MaxCandidatesCondition(preset.candidates()), new GeneratorExhaustedCondition(),
                new MaxTimeCondition(hardCapSeconds, TimeUnit.SECONDS));
    }

    /** Results of this sweep's candidates (same keys), in candidate order. */
    private static List<CandidateResult> relevant(List<CandidateResult> recorded, List<CinnCandidateConfig> planned,
                                                  SweepSettings s, Properties data) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < planned.size(); i++) {
            if (planned.get(i) != null) keys.add(CinnTaskCreator.key(i, planned.get(i), s, data));
        }
        List<CandidateResult> l = new ArrayList<>();
        for (CandidateResult r : recorded) {
            if (keys.contains(r.key) || !s.resume()) {
                l.add(r);
            }
        }
        return l;
    }

    private static List<CinnCandidateConfig> notRun(List<CandidateResult> done, List<CinnCandidateConfig> planned,
                                                    SweepSettings s, Properties data) {
        Set<String> doneKeys = new LinkedHashSet<>();
        for (CandidateResult r : done) doneKeys.add(r.key);
        List<CinnCandidateConfig> l = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            CinnCandidateConfig c = planned.get(i);
            if (c != null && !doneKeys.contains(CinnTaskCreator.key(i, c, s, data))) l.add(c);
        }
        return l;
    }

    /** Removes the files of a previous sweep in {@code out} (only those this class writes). */
    private static void clearPrevious(Path out) throws IOException {
        for (String f : List.of(SweepResults.CSV, PLAN, ARBITER_CONFIG, SweepReport.CURVES, SweepReport.REPORT)) {
            Files.deleteIfExists(out.resolve(f));
        }
        Path cands = out.resolve(SweepResults.CANDIDATES);
        if (Files.isDirectory(cands)) {
            try (var walk = Files.walk(cands)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        SweepResults.close(out);
    }

    // ---- sizing ----

    private static SweepSettings plan(Options o, Preset preset, List<CinnCandidateConfig> planned,
                                      DataSource source, Path out) throws IOException {
        int validationSubset = Math.min(o.validationSubset, validationCount(source));
        if (o.iterations == null && o.resume && Files.isRegularFile(out.resolve(PLAN))) {
            Map<String, Object> previous = Json.readMap(out.resolve(PLAN));
            Object s = previous.get("settings");
            if (s instanceof Map && preset.name().equals(previous.get("preset"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) s;
                SweepSettings reused = new SweepSettings(((Number) m.get("iterations")).intValue(),
                        ((Number) m.get("validateEvery")).intValue(), ((Number) m.get("validationSubset")).intValue(),
                        ((Number) m.get("logEvery")).intValue(), out.toString(), true);
                LOG.info("Resuming: {} iterations per candidate as planned in {}", reused.iterations(),
                        out.resolve(PLAN));
                return reused;
            }
        }
        int iterations;
        if (o.iterations != null) {
            iterations = o.iterations;
        } else {
            iterations = fromBudget(o, preset, planned, source, validationSubset);
        }
        int validateEvery = Math.max(1, iterations / Math.max(1, o.validationPoints));
        int logEvery = Math.max(1, iterations / 100);
        return new SweepSettings(iterations, validateEvery, validationSubset, logEvery, out.toString(), o.resume);
    }

    /** Iterations per candidate so that the candidates fit the budget (timed on the distinct model shapes). */
    private static int fromBudget(Options o, Preset preset, List<CinnCandidateConfig> planned,
                                  DataSource source, int validationSubset) {
        Map<String, CinnCandidateConfig> shapes = new LinkedHashMap<>();
        for (CinnCandidateConfig c : planned) {
            if (c == null) continue;
            CinnCandidateConfig r = c.resolved();
            String shape = r.getArchitecture() + "/" + r.getBlocks() + "/" + r.getFcBlocks() + "/" + r.getConvWidth()
                    + "/" + r.getFcWidth() + "/" + r.getSubnetDepth() + "/" + r.isPermutations() + "/"
                    + r.getBatchSize() + "/" + r.getConditioning() + "/" + r.getClamp();
            shapes.putIfAbsent(shape, c);
        }
        List<CinnCandidateConfig> timed = new ArrayList<>(shapes.values());
        if (timed.size() > 4) {
            timed = timed.subList(0, 4);
        }
        double spi = 0;
        double validationSeconds = 0;
        for (CinnCandidateConfig c : timed) {
            double[] t = c.getTask() == CinnCandidateConfig.Task.COLORIZATION
                    ? timeColorization(c, (LabData) source.trainData(), (LabData) source.testData())
                    : time(c, (LabeledImages) source.trainData(), (LabeledImages) source.testData(), validationSubset);
            spi += t[0];
            validationSeconds += t[1];
        }
        spi /= timed.size();
        validationSeconds /= timed.size();
        int n = preset.candidates();
        double perCandidate = o.budget.getSeconds() * 0.95 / n;
        double fullValidation = preset.colorization() ? validationSeconds
                : validationSeconds * validationCount(source) / (double) validationSubset;
        double train = perCandidate - (o.validationPoints + 1) * validationSeconds - fullValidation - 3.0;
        int iterations = (int) Math.max(20, Math.floor(train / spi / 10) * 10);
        LOG.info(String.format(Locale.ROOT, "Budget %s for %d candidates: %.3f s/iteration, %.2f s per validation "
                        + "point (timed on %d model shape(s)) -> %d iterations per candidate",
                o.budget, n, spi, validationSeconds, timed.size(), iterations));
        return iterations;
    }

    /** {seconds per training iteration, seconds per validation of {@code subset} images}. */
    static double[] time(CinnCandidateConfig c, LabeledImages train, LabeledImages validation, int subset) {
        ComputationGraph g = CinnModels.build(c);
        ConditionalImageIterator it = ConditionalImageIterator.builder(train).batchSize(c.resolved().getBatchSize())
                .shuffle(1).dropLast(true).build();
        // the first steps build SameDiff graphs and warm the JIT; on a shared machine single steps vary a lot:
        // the median of individually timed steps is what a long run sees
        int warmup = 5;
        double[] steps = new double[8];
        for (int i = 0; i < warmup + steps.length; i++) {
            if (!it.hasNext()) it.reset();
            MultiDataSet b = it.next();
            long t0 = System.nanoTime();
            g.fit(b);
            if (i >= warmup) steps[i - warmup] = (System.nanoTime() - t0) / 1e9;
        }
        double spi = median(steps);
        ValidationBitsPerDimScore.score(g, validation, subset); // warm-up of the inference path
        long v0 = System.nanoTime();
        ValidationBitsPerDimScore.score(g, validation, subset);
        double val = (System.nanoTime() - v0) / 1e9;
        LOG.info(String.format(Locale.ROOT, "Timing %s: %.3f s/iteration, %.2f s per validation of %d images",
                c.displayName(), spi, val, subset));
        return new double[]{spi, val};
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** {seconds per training iteration, seconds per validation} of a colorization candidate. */
    static double[] timeColorization(CinnCandidateConfig c, LabData train, LabData validation) {
        ColorizationCinn.Config cc = ColorizationCandidates.config(c, train);
        ComputationGraph g = ColorizationCinn.init(cc);
        ColorTraining.train(g, ColorModelFiles.Kind.CINN, cc, train, 0, 3, 0);
        double[] steps = new double[5];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = ColorTraining.train(g, ColorModelFiles.Kind.CINN, cc, train, 0, 1, 0).seconds();
        }
        double spi = median(steps);
        long v0 = System.nanoTime();
        ColorizationCandidates.validationBitsPerDim(new ColorizationCandidates.Model(g, cc), validation);
        double val = (System.nanoTime() - v0) / 1e9;
        LOG.info(String.format(Locale.ROOT, "Timing %s: %.3f s/iteration, %.2f s per validation of %d tiles",
                c.displayName(), spi, val, validation.size()));
        return new double[]{spi, val};
    }

    private static void writePlan(Path out, Options o, Preset preset, SweepSettings s, Properties data)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset.name());
        m.put("description", preset.description());
        m.put("candidates", preset.candidates());
        m.put("budget", o.budget.toString());
        m.put("seed", o.seed);
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("iterations", s.iterations());
        st.put("validateEvery", s.validateEvery());
        st.put("validationSubset", s.validationSubset());
        st.put("logEvery", s.logEvery());
        m.put("settings", st);
        Map<String, String> d = new LinkedHashMap<>();
        for (String k : data.stringPropertyNames()) d.put(k, data.getProperty(k));
        m.put("data", d);
        m.put("space", preset.space() instanceof CinnParameterSpace ? ((CinnParameterSpace) preset.space()).toJson()
                : ((CandidateListSpace) preset.space()).toJson());
        SweepResults.writeAtomically(out.resolve(PLAN), Json.write(m));
    }
}
