package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Architecture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cinn ablate}: runs an ablation or hyperparameter sweep with Arbiter and writes {@code results.csv},
 * {@code curves.png} and {@code report.md} into the output directory. Entry points: {@link #main} (exits) and
 * {@link #run(String[])} (returns the exit code: 0 done, 1 failed, 2 bad command line).
 *
 * <pre>
 *   cinn ablate --preset paper-fig10 --budget 20m --out runs/fig10
 *   cinn ablate --preset lr-depth --budget 1h --train-examples 20000 --out runs/lr-depth
 *   cinn ablate --preset smoke --out /tmp/smoke            # seconds, generated data
 * </pre>
 */
public final class AblateCommand {

    static final String USAGE = String.join("\n",
            "Usage: cinn ablate [options]",
            "",
            "Trains every candidate of a preset sweep with Arbiter (one at a time), scores it by validation bits/dim,",
            "and writes OUT/results.csv (one row per candidate: configuration, score, status, time), OUT/curves.png",
            "(validation and training curves of all candidates, like the paper's Fig. 10) and OUT/report.md (ranking",
            "and findings). Results are saved after every candidate; running the same command again resumes, skipping",
            "candidates already in results.csv (use --restart to start over). Diverging candidates are recorded as",
            "FAILED with the reason.",
            "",
            "Options:",
            "  --preset NAME          paper-fig10 (default) | conditioning | lr-depth | random | smoke",
            "                         (conditioning: none/fixed/joint conditioning network on colorization)",
            "  --budget TIME          total training time, e.g. 20m, 90s, 1h30m (default 20m); sets the iterations",
            "                         per candidate (timed on this machine) and stops starting candidates at 1.5x",
            "  --out DIR              output directory (default runs/ablate-PRESET)",
            "  --iterations N         iterations per candidate instead of deriving them from the budget",
            "  --dataset NAME         mnist | fashion-mnist | synthetic (default: the preset's, mnist)",
            "  --data DIR             directory with the four IDX files (default: the zoo's search order)",
            "  --photos DIR           conditioning preset: photos to cut colorization tiles from, split by photo",
            "                         into training/validation (default /usr/share/backgrounds)",
            "  --color-model NAME     conditioning preset: the zoo's colorization preset, tiny (16x16, default) or",
            "                         small (64x64; much slower)",
            "  --digits               conditioning preset: on MNIST with a label-embedding network instead",
            "  --train-examples N     training images, first of the training split (fig10 10000, others 6000,",
            "                         smoke 512)",
            "  --validation-examples N  validation images, last of the training split (default 1000)",
            "  --validation-subset N  images for the intermediate validation points (default: all validation",
            "                         images, as for the final score)",
            "  --candidates N         random preset: number of candidates (default 8)",
            "  --architecture A       multiscale (default) | fc (the paper's MNIST model; fig10 then has no Haar case)",
            "  --blocks N             coupling blocks (fc) or conv coupling blocks per level (multiscale); default 2",
            "  --fc-blocks N          multiscale: fully connected blocks at the end (default 2)",
            "  --conv-subnets         multiscale: 3x3 convolutional subnets in the image stages (the paper's choice;",
            "                         about ten times slower per block here) instead of fully connected ones",
            "  --conv-width N         hidden channels of conv subnets (default 32)",
            "  --fc-width N           hidden units of fully connected subnets (default 128)",
            "  --depth N              hidden layers per subnet (default 1)",
            "  --batch N              batch size (default 64)",
            "  --lr X                 learning rate of the base model (default 1e-3, the paper's Fig. 10 setting)",
            "  --seed N               seed of the search and of the base model",
            "  --restart              discard the results of a previous sweep in --out",
            "  --dry-run              list the candidates and the Arbiter space (JSON), train nothing",
            "  --ui                   show the sweep in Arbiter's UI (http://localhost:PORT/arbiter); needs the",
            "                         arbiter-ui build profile",
            "  --ui-port N            port of the UI (default 9000)",
            "  --help                 this text",
            "");

    private static final List<String> FLAGS = List.of("restart", "dry-run", "ui", "conv-subnets", "digits", "help");

    private AblateCommand() {}

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "cinn-logback.xml");
        }
        PrintStream realOut = System.out;
        // SameDiff (1.0.0-M2.1) prints a line per differentiated op to System.out while building gradients
        System.setOut(new PrintStream(new DropLines(realOut, "Added differentiated op "), true,
                StandardCharsets.UTF_8));
        int code = run(args, realOut, System.err);
        realOut.flush();
        System.exit(code);
    }

    /** Runs the command with the standard streams; returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** Runs the command; returns the exit code (never exits the JVM). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("cinn ablate: " + e.getMessage() + " (see cinn ablate --help)");
            return 2;
        }
        if (o.containsKey("help")) {
            out.print(USAGE);
            return 0;
        }
        AblationSweep.Options opts;
        try {
            opts = options(o);
        } catch (IllegalArgumentException e) {
            err.println("cinn ablate: " + e.getMessage());
            return 2;
        }
        try {
            if (o.containsKey("dry-run")) {
                return dryRun(opts, out);
            }
            if (o.containsKey("ui")) {
                opts.listeners.add(ArbiterUi.start(Integer.parseInt(o.getOrDefault("ui-port", "9000")), err));
            }
            AblationSweep.Outcome r = AblationSweep.run(opts);
            long done = r.results().stream().filter(CandidateResult::completed).count();
            out.printf(Locale.ROOT, "%d candidate(s): %d completed, %d failed, %d not run%n",
                    r.results().size() + r.notRun().size(), done, r.results().size() - done, r.notRun().size());
            out.println("results: " + r.csv());
            out.println("curves:  " + r.curves());
            out.println("report:  " + r.report());
            return 0;
        } catch (Exception e) {
            err.println("cinn ablate failed: " + e);
            if (Boolean.getBoolean("cinn.debug")) {
                e.printStackTrace(err);
            } else {
                err.println("(run with -Dcinn.debug=true for the stack trace)");
            }
            return 1;
        }
    }

    private static int dryRun(AblationSweep.Options o, PrintStream out) {
        CinnCandidateConfig base = o.base != null ? o.base : Presets.base(o.preset);
        Preset p = Presets.create(o.preset, base, o.randomCandidates);
        out.println("preset " + p.name() + ": " + p.candidates() + " candidate(s), " + (p.grid() ? "grid" : "random")
                + " search");
        int i = 0;
        for (CinnCandidateConfig c : p.plannedCandidates(o.seed)) {
            out.println("  #" + i++ + " " + (c == null ? "(invalid configuration)" : c.summary()));
        }
        out.println(p.space() instanceof CinnParameterSpace ? ((CinnParameterSpace) p.space()).toJson()
                : ((CandidateListSpace) p.space()).toJson());
        return 0;
    }

    static AblationSweep.Options options(Map<String, String> o) {
        AblationSweep.Options opts = new AblationSweep.Options();
        opts.preset = o.getOrDefault("preset", "paper-fig10").toLowerCase(Locale.ROOT);
        if (opts.preset.equals("fig10")) opts.preset = "paper-fig10";
        if (!Presets.NAMES.contains(opts.preset)) {
            throw new IllegalArgumentException("unknown preset '" + opts.preset + "'; use one of " + Presets.NAMES);
        }
        opts.budget = duration(o.getOrDefault("budget", "20m"));
        opts.out = Paths.get(o.getOrDefault("out", "runs/ablate-" + opts.preset));
        if (o.containsKey("iterations")) opts.iterations = positive(o, "iterations");
        opts.dataset = o.get("dataset");
        opts.dataDir = o.get("data");
        opts.photoDir = o.get("photos");
        if (o.containsKey("train-examples")) opts.trainExamples = positive(o, "train-examples");
        if (o.containsKey("validation-examples")) opts.validationExamples = positive(o, "validation-examples");
        if (o.containsKey("validation-subset")) opts.validationSubset = positive(o, "validation-subset");
        if (o.containsKey("candidates")) opts.randomCandidates = positive(o, "candidates");
        if (o.containsKey("seed")) opts.seed = Long.parseLong(o.get("seed"));
        opts.resume = !o.containsKey("restart");

        CinnCandidateConfig base = Presets.base(opts.preset);
        if (o.containsKey("digits") && base.getTask() == CinnCandidateConfig.Task.COLORIZATION) {
            base = Presets.base("lr-depth");
        }
        if (o.containsKey("color-model")) {
            String m = o.get("color-model").toLowerCase(Locale.ROOT);
            if (!m.equals("tiny") && !m.equals("small") && !m.equals("full")) {
                throw new IllegalArgumentException("--color-model must be tiny, small or full, got " + m);
            }
            base.setColorModel(m);
        }
        if (o.containsKey("architecture")) {
            String a = o.get("architecture").toUpperCase(Locale.ROOT);
            try {
                base.setArchitecture(Architecture.valueOf(a));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--architecture must be fc or multiscale, got " + o.get("architecture"));
            }
            if (base.getArchitecture() == Architecture.FC && !o.containsKey("blocks")) {
                base.setBlocks(8); // the zoo's quick MNIST model depth
            }
        }
        if (o.containsKey("blocks")) base.setBlocks(positive(o, "blocks"));
        if (o.containsKey("fc-blocks")) base.setFcBlocks(Integer.parseInt(o.get("fc-blocks")));
        if (o.containsKey("conv-subnets")) base.setConvSubnets(true);
        if (o.containsKey("conv-width")) base.setConvWidth(positive(o, "conv-width"));
        if (o.containsKey("fc-width")) base.setFcWidth(positive(o, "fc-width"));
        if (o.containsKey("depth")) base.setSubnetDepth(positive(o, "depth"));
        if (o.containsKey("batch")) base.setBatchSize(positive(o, "batch"));
        if (o.containsKey("lr")) base.setLearningRate(Double.parseDouble(o.get("lr")));
        if (o.containsKey("seed")) base.setSeed(opts.seed);
        opts.base = base.validate();
        return opts;
    }

    private static int positive(Map<String, String> o, String key) {
        try {
            int v = Integer.parseInt(o.get(key));
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a positive integer, got '" + o.get(key) + "'");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)([hms])");

    /** {@code 20m}, {@code 90s}, {@code 1h30m}, {@code 1.5h}; a plain number is minutes. */
    static Duration duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+(\\.\\d+)?")) {
            t = t + "m";
        }
        Matcher m = DURATION.matcher(t);
        double seconds = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) break;
            double v = Double.parseDouble(m.group(1));
            seconds += v * (m.group(2).equals("h") ? 3600 : m.group(2).equals("m") ? 60 : 1);
            end = m.end();
        }
        if (end != t.length() || seconds <= 0) {
            throw new IllegalArgumentException("--budget: cannot read '" + s + "' (examples: 20m, 90s, 1h30m)");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static final List<String> OPTIONS = List.of("preset", "budget", "out", "iterations", "dataset", "data",
            "train-examples", "validation-examples", "validation-subset", "candidates", "architecture", "blocks",
            "fc-blocks", "conv-width", "fc-width", "depth", "batch", "lr", "seed", "ui-port", "photos", "color-model");

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i].equals("-h") ? "--help" : args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) throw new IllegalArgumentException("--" + name + " takes no value");
                m.put(name, "true");
            } else if (OPTIONS.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("--" + name + " needs a value");
                    value = args[++i];
                }
                m.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return m;
    }

    /** Drops whole lines that start with a prefix; passes everything else through. */
    static final class DropLines extends OutputStream {
        private final OutputStream target;
        private final byte[] prefix;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        DropLines(OutputStream target, String prefix) {
            this.target = target;
            this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                byte[] l = line.toByteArray();
                line.reset();
                if (!(l.length >= prefix.length && Arrays.equals(Arrays.copyOf(l, prefix.length), prefix))) {
                    target.write(l);
                }
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            byte[] l = line.toByteArray();
            int n = Math.min(l.length, prefix.length);
            if (l.length > 0 && !Arrays.equals(Arrays.copyOf(l, n), Arrays.copyOf(prefix, n))) {
                target.write(l);
                line.reset();
            }
            target.flush();
        }
    }
}
