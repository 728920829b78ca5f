package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.layers.CpuThreads;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code cinn} command: one entry point with subcommands for the class-conditional MNIST cINN.
 *
 * <pre>
 *   java -jar dl4j-cinn-zoo/target/cinn.jar train            # the main job (3-10 minutes on 2 cores)
 *   java -jar dl4j-cinn-zoo/target/cinn.jar sample --temperature 0.8
 *   java -jar dl4j-cinn-zoo/target/cinn.jar evaluate
 *   java -jar dl4j-cinn-zoo/target/cinn.jar bench | tail -1
 * </pre>
 *
 * Exit codes: 0 success, 1 failure (message on stderr), 2 wrong command line.
 */
public final class CinnCommand {

    static final String USAGE = String.join("\n",
            "Usage: cinn <command> [options]      (cinn <command> --help for the options of a command)",
            "",
            "Conditional invertible neural networks (Ardizzone et al.) on Deeplearning4j: class-conditional MNIST.",
            "",
            "Commands:",
            "  train      train a model (progress, checkpoints, --resume), then write samples, style transfer, metrics",
            "  sample     sample grid: rows share one latent z, columns are the ten labels (paper Fig. 6)",
            "  transfer   style transfer: encode test images with their label, decode with every label (Fig. 7)",
            "  explore    PCA of the test latents: principal directions (Fig. 4), plane grid, interpolation",
            "  evaluate   test bits/dim, label fidelity by an independent classifier, sample diversity",
            "  bench      training/sampling samples/s and peak memory of the paper model, side by side with PyTorch",
            "  color      diverse colorization: color train | colorize | evaluate (see 'cinn color --help')",
            "  image-to-image  paired image-to-image cINN with a ResNet pyramid (see 'cinn image-to-image --help')",
            "",
            "Run directory (default runs/mnist): model.zip, checkpoint.zip, checkpoint.json, metrics.json,",
            "training-curve.png, samples.png, transfer.png, evaluation.json, explore-*.png.",
            "Data: MNIST from scripts/fetch-data.sh (~/.cache/dl4j-cinn/mnist), Fashion-MNIST from the Debian package",
            "dataset-fashion-mnist; --data DIR for any directory with the four IDX files.",
            "");

    private CinnCommand() {}

    public static void main(String[] argv) {
        // Before any logger exists: the CLI's own logging setup, unless the user chose one.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "cinn-logback.xml");
        }
        PrintStream realOut = System.out;
        // SameDiff (1.0.0-M2.1) prints "Added differentiated op ..." with System.out while building gradients;
        // keep stdout for results (bench prints one JSON line there).
        System.setOut(new PrintStream(new SameDiffNoiseFilter(realOut), true, StandardCharsets.UTF_8));
        // ND4J alone would start max(4, cores / 2) OpenMP threads: oversubscribed on small machines
        CpuThreads.applyChosen();
        int code = run(argv, realOut, System.err);
        realOut.flush();
        System.exit(code);
    }

    /** Runs a command line; returns the exit code. Never calls {@code System.exit}. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            (argv.length == 0 ? err : out).print(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        String cmd = argv[0];
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        try {
            switch (cmd) {
                case "train":
                    return TrainCommand.run(rest, out, err);
                case "sample":
                    return FigureCommands.sample(rest, out, err);
                case "transfer":
                    return FigureCommands.transfer(rest, out, err);
                case "explore":
                    return FigureCommands.explore(rest, out, err);
                case "evaluate":
                    return EvaluateCommand.run(rest, out, err);
                case "bench":
                    return BenchCommand.run(rest, out, err);
                case "color":
                    return new io.github.dl4jcinn.zoo.color.ColorizeCommand(out).run(rest);
                case "image-to-image":
                    return new io.github.dl4jcinn.zoo.imagetoimage.ImageToImageCommand(out).run(rest);
                default:
                    err.println("cinn: unknown command '" + cmd + "'\n");
                    err.print(USAGE);
                    return 2;
            }
        } catch (Args.UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("cinn " + cmd + " failed: " + e.getMessage());
            if (Boolean.getBoolean("cinn.debug")) {
                e.printStackTrace(err);
            } else {
                err.println("(run with -Dcinn.debug=true for the stack trace)");
            }
            return 1;
        }
    }

    /** Drops whole lines that start with SameDiff's debug print, passes everything else through. */
    static final class SameDiffNoiseFilter extends OutputStream {
        private static final byte[] PREFIX = "Added differentiated op ".getBytes(StandardCharsets.UTF_8);
        private final OutputStream target;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        SameDiffNoiseFilter(OutputStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            byte[] l = line.toByteArray();
            // a partial line that cannot be SameDiff's any more goes out now
            if (l.length > 0 && !startsLikePrefix(l)) {
                emit();
            }
            target.flush();
        }

        private void emit() throws java.io.IOException {
            byte[] l = line.toByteArray();
            line.reset();
            if (!(l.length >= PREFIX.length && Arrays.equals(Arrays.copyOf(l, PREFIX.length), PREFIX))) {
                target.write(l);
            }
        }

        private static boolean startsLikePrefix(byte[] l) {
            int n = Math.min(l.length, PREFIX.length);
            return Arrays.equals(Arrays.copyOf(l, n), Arrays.copyOf(PREFIX, n));
        }
    }
}
