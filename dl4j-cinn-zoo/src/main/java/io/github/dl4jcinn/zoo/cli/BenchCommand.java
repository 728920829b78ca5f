package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.zoo.bench.CinnBenchmark;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.report.Json;

import java.io.PrintStream;
import java.util.Map;

/** {@code cinn bench}: training and sampling speed and peak memory, one JSON line on stdout. */
final class BenchCommand {

    private BenchCommand() {}

    static Args args() {
        return new Args("bench", "Benchmarks the MNIST cINN (default: the paper's model at batch 256) on the current "
                + "backend:\ntraining samples/s (median of timed steps after warm-up), sampling samples/s and peak "
                + "memory\n(JVM heap, process RSS = heap + off-heap). Progress goes to stderr; the result is ONE JSON "
                + "line\non stdout.")
                .option("model", "paper|quick|tiny", "paper", "architecture preset")
                .option("batch", "N", "256", "training batch size")
                .option("warmup", "N", "2", "untimed training steps")
                .option("steps", "N", "5", "timed training steps")
                .option("sample-n", "N", "256", "samples per sampling call")
                .option("sample-repeats", "N", "3", "timed sampling calls")
                .option("blocks", "N", null, "override the preset's blocks")
                .option("hidden", "W,W,...", null, "override the preset's hidden widths")
                .example("cinn bench                       # paper model, batch 256")
                .example("cinn bench --model quick --steps 10 | tail -1 | jq .trainSamplesPerSecond");
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
        err.println("cinn bench: " + model);
        Map<String, Object> r = CinnBenchmark.run(model, a.integer("batch"), a.integer("warmup"), a.integer("steps"),
                a.integer("sample-n"), a.integer("sample-repeats"), line -> err.println("  " + line));
        out.println(Json.line(r));
        return 0;
    }
}
