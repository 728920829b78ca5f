package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.layers.CpuThreads;
import io.github.dl4jcinn.zoo.bench.CinnBenchmark;
import io.github.dl4jcinn.zoo.bench.SideBySideBenchmark;
import io.github.dl4jcinn.zoo.bench.TorchReference;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.report.Json;

import java.io.PrintStream;
import java.util.Map;

/** {@code cinn bench}: training and sampling speed and peak memory, alone or side by side with PyTorch. */
final class BenchCommand {

    private BenchCommand() {}

    static Args args() {
        return new Args("bench", "Benchmarks the MNIST cINN (default: the paper's model, 24 blocks, 54.4 M parameters, "
                + "batch 256)\non the current backend: training samples/s, sampling samples/s and peak memory. With the "
                + "PyTorch\nreference installed (bash scripts/install-torch-reference.sh) it runs both alternately, "
                + "--rounds\nrounds, and reports median and best of every timed step of each side and the ratios "
                + "(ours / PyTorch).\nProgress goes to stderr; the result is ONE JSON line on stdout.")
                .option("model", "paper|quick|tiny", "paper", "architecture preset")
                .option("batch", "N", "256", "training batch size")
                .option("warmup", "N", "2", "untimed training steps (per round)")
                .option("steps", "N", "5", "timed training steps (per round)")
                .option("sample-n", "N", "256", "samples per sampling call")
                .option("sample-repeats", "N", "3", "timed sampling calls (per round)")
                .option("blocks", "N", null, "override the preset's blocks")
                .option("hidden", "W,W,...", null, "override the preset's hidden widths")
                .option("reference", "auto|off|require", "auto", "PyTorch side by side: when installed, never, or "
                        + "fail without it")
                .option("rounds", "N", "5", "alternating rounds with the reference")
                .option("threads", "N", null, "CPU threads for both sides (default: -Dcinn.threads, else "
                        + "OMP_NUM_THREADS, else all processors)")
                .option("python", "PATH", TorchReference.DEFAULT_PYTHON, "python with Debian's python3-torch")
                .example("OMP_WAIT_POLICY=PASSIVE cinn bench             # paper model vs PyTorch, 5 rounds")
                .example("cinn bench --reference off --steps 10 | tail -1 | jq .trainSamplesPerSecond");
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args a = args().parse(argv);
        if (a.helpRequested()) {
            out.print(a.help());
            return 0;
        }
        MnistCinn.Builder b = MnistCinn.preset(a.string("model"));
        if (a.has("blocks")) b.blocks(a.integer("blocks"));
        if (a.has("hidden")) b.hidden(a.integers("hidden"));
        MnistCinn model = b.build();
        String mode = a.string("reference");
        if (!mode.equals("auto") && !mode.equals("off") && !mode.equals("require")) {
            throw new IllegalArgumentException("--reference must be auto, off or require, got " + mode);
        }
        // the count in effect (ND4J cannot go above its start-up pool), which the reference then gets too
        int threads = CpuThreads.apply(a.has("threads") ? a.integer("threads") : CpuThreads.chosen());
        err.println("cinn bench: " + model + ", " + threads + " thread(s), OMP_WAIT_POLICY="
                + System.getenv("OMP_WAIT_POLICY"));
        TorchReference reference = new TorchReference(a.string("python"));
        String unavailable = mode.equals("off") ? "--reference off" : reference.availability();
        if (unavailable != null && mode.equals("require")) {
            throw new IllegalStateException("PyTorch reference unavailable: " + unavailable);
        }
        SideBySideBenchmark.Settings s = new SideBySideBenchmark.Settings();
        s.batch = a.integer("batch");
        s.warmup = a.integer("warmup");
        s.steps = a.integer("steps");
        s.sampleN = a.integer("sample-n");
        s.sampleRepeats = a.integer("sample-repeats");
        s.rounds = a.integer("rounds");
        s.threads = threads;
        Map<String, Object> r;
        if (unavailable == null) {
            String warning = TorchReference.blasWarning();
            if (warning != null) {
                err.println("WARNING: " + warning);
            }
            r = SideBySideBenchmark.run(model, s, reference, line -> err.println("  " + line));
        } else {
            err.println("PyTorch reference not run: " + unavailable);
            r = CinnBenchmark.run(model, s.batch, s.warmup, s.steps, s.sampleN, s.sampleRepeats,
                    line -> err.println("  " + line));
            r.put("threads", threads);
            r.put("reference", "not run: " + unavailable);
        }
        out.println(Json.line(r));
        return 0;
    }
}
