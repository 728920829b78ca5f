package io.github.dl4jcinn.zoo.bench;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The PyTorch reference of the speed comparison, run as a separate process per round: the team's own PyTorch
 * implementation of the paper's MNIST cINN ({@code torch_cinn_mnist.py}, written from the paper's equations and
 * checked against FrEIA's forward pass) driven by {@code torch_reference_round.py}, both shipped inside this jar and
 * written to a temporary directory. It needs Debian's {@code python3-torch} (and {@code libopenblas0-pthread}, or
 * torch falls back to the reference BLAS and is ~20x slower): {@link #availability()} says whether it can run.
 */
public final class TorchReference implements SideBySideBenchmark.Reference {

    /** Debian's interpreter: another python3 earlier on PATH (pyenv, conda) does not see Debian's torch. */
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";
    public static final String INSTALL_HINT = "bash scripts/install-torch-reference.sh, i.e. apt-get install -y "
            + "python3-torch python3-numpy libopenblas0-pthread";
    private static final String[] SCRIPTS = {"torch_cinn_mnist.py", "torch_reference_round.py"};

    private final String python;
    private Path dir;

    public TorchReference(String python) {
        this.python = python;
    }

    /** Null if the reference can run, else why not (with the install command). */
    public String availability() {
        if (!Files.isExecutable(Path.of(python))) {
            return python + " not found (" + INSTALL_HINT + ")";
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, numpy; print(torch.__version__)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return python + " cannot import torch and numpy (" + INSTALL_HINT + "): " + out;
            }
            return null;
        } catch (IOException e) {
            return python + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** A warning if Debian's OpenBLAS is missing (torch then uses the reference BLAS), else null. */
    public static String blasWarning() {
        return Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0")) ? null
                : "libopenblas0-pthread is not installed: PyTorch will use the slow reference BLAS (" + INSTALL_HINT
                + ")";
    }

    /** One round: the reference's own warm-up, timed training steps and timed sampling calls. */
    @Override
    public Round run(int threads, int batch, int blocks, int hidden, int depth, int warmup, int steps, int sampleN,
                     int sampleRepeats, Consumer<String> progress) {
        List<String> cmd = new ArrayList<>(List.of(python, scripts().resolve(SCRIPTS[1]).toString(),
                "--threads", Integer.toString(threads), "--batch", Integer.toString(batch),
                "--blocks", Integer.toString(blocks), "--hidden", Integer.toString(hidden),
                "--depth", Integer.toString(depth), "--warmup", Integer.toString(warmup),
                "--steps", Integer.toString(steps), "--sample-n", Integer.toString(sampleN),
                "--sample-repeats", Integer.toString(sampleRepeats)));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            // as the reference script itself does: libgomp spin-waiting made PyTorch 2-20x slower on shared cores
            pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            Process p = pb.start();
            Thread err = pump(p.getErrorStream(), progress);
            String json = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("{")) json = line;
                }
            }
            int code = p.waitFor();
            err.join();
            if (code != 0 || json == null) {
                throw new IllegalStateException("PyTorch reference failed (exit " + code + "): " + String.join(" ",
                        cmd));
            }
            return Round.parse(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Path scripts() {
        if (dir != null) {
            return dir;
        }
        try {
            dir = Files.createTempDirectory("cinn-torch-reference");
            dir.toFile().deleteOnExit();
            for (String s : SCRIPTS) {
                try (InputStream in = TorchReference.class.getResourceAsStream(s)) {
                    if (in == null) {
                        throw new IllegalStateException("resource " + s + " missing from the jar");
                    }
                    Path f = dir.resolve(s);
                    Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
                    f.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread pump(InputStream in, Consumer<String> progress) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) progress.accept(line.trim());
            } catch (IOException ignored) {
                // the process ended
            }
        }, "torch-reference-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** What one reference process measured. */
    public static final class Round {
        final double[] trainStepSeconds;
        final double[] samplingSeconds;
        final double peakRssMiB;
        final long parameters;
        final String torchVersion;

        public Round(double[] train, double[] sampling, double peakRssMiB, long parameters, String torchVersion) {
            this.trainStepSeconds = train;
            this.samplingSeconds = sampling;
            this.peakRssMiB = peakRssMiB;
            this.parameters = parameters;
            this.torchVersion = torchVersion;
        }

        public static Round parse(String json) throws IOException {
            JsonNode n = new ObjectMapper().readTree(json);
            return new Round(doubles(n.get("trainStepSeconds")), doubles(n.get("samplingSeconds")),
                    n.get("peakRssMiB").asDouble(), n.get("parameters").asLong(), n.get("torch").asText());
        }

        private static double[] doubles(JsonNode array) {
            double[] v = new double[array.size()];
            for (int i = 0; i < v.length; i++) v[i] = array.get(i).asDouble();
            return v;
        }
    }
}
