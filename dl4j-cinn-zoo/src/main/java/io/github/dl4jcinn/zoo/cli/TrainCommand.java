package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.layers.CpuThreads;
import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.NoiseAugmentation;
import io.github.dl4jcinn.zoo.data.Split;
import io.github.dl4jcinn.zoo.image.ImageGrid;
import io.github.dl4jcinn.zoo.latent.ConditionalFigures;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.parallel.ParallelCinnTraining;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.training.Checkpoints;
import io.github.dl4jcinn.zoo.training.CinnTrainer;
import io.github.dl4jcinn.zoo.training.TrainingResult;

import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code cinn train}: the main job. */
final class TrainCommand {

    static final int DEFAULT_EPOCHS = 3;

    private TrainCommand() {}

    static Args args() {
        return new Args("train", "Trains the class-conditional MNIST cINN (or Fashion-MNIST), then writes a sample grid "
                + "(Fig. 6),\na style-transfer grid (Fig. 7), metrics.json, a training curve and the model into --out.\n"
                + "The defaults (--model quick, 3 epochs) take 3-10 minutes on 2 CPU cores; --model paper with\n"
                + "more --epochs is the paper's configuration (24 blocks, 54.4 M parameters, ~1.3 s per batch on 2 cores)."
                + "\n--workers N trains N replicas with DL4J's ParallelWrapper, averaging parameters and Adam state\n"
                + "after every round (exact, identical replicas, the single-device step size; an iteration is a\n"
                + "round of N batches, effective batch N x --batch); each worker gets cores / N ND4J threads.")
                .option("preset", "mnist|fashion-mnist", "mnist", "data set")
                .option("data", "DIR", null, "directory with the four IDX files (default: the standard locations)")
                .flag("no-fallback", "fail if MNIST is missing instead of falling back to Fashion-MNIST")
                .option("model", "quick|paper|tiny", "quick", "architecture preset")
                .option("epochs", "N", Integer.toString(DEFAULT_EPOCHS), "training epochs")
                .option("batch", "N", null, "batch size (default: the preset's, 256)")
                .option("lr", "X", null, "initial learning rate (default: paper 1e-4, quick 1e-3)")
                .option("lr-final", "X", null, "learning rate reached at the end, exponential decay (paper 1e-6, "
                        + "quick 1e-4)")
                .option("blocks", "N", null, "coupling blocks (paper 24, quick 8)")
                .option("hidden", "W,W,...", null, "subnet hidden widths (paper 512,512,512, quick 256)")
                .option("clamp-alpha", "X", null, "soft clamp alpha (1.9)")
                .option("label-embedding", "W", null, "width of the learned linear conditioning network "
                        + "between the one-hot label and every subnet (quick 512; paper 0: one-hot fed directly)")
                .flag("no-permutation", "no fixed random permutation between the blocks (ablation)")
                .flag("plain-init", "Xavier init of the last subnet layer too instead of zeros (ablation)")
                .flag("standardize", "standardise the data inside the model, (x - 0.128)/0.305 as a fixed block "
                        + "(on in quick)")
                .flag("no-standardize", "no standardisation block (the paper preset has none)")
                .option("noise-sigma", "X", null, "Gaussian noise augmentation on [0,1] images (0.02)")
                .option("l2", "X", null, "L2 weight decay (1e-5)")
                .option("limit", "N", "0", "use only the first N training images (0: all 60000)")
                .option("test-limit", "N", "0", "test images for the final bits/dim (0: all 10000)")
                .option("eval-every-epoch", "N", "2000", "test images evaluated after every epoch (0: none)")
                .option("out", "DIR", RunFiles.DEFAULT_RUN, "output directory")
                .flag("resume", "continue from the checkpoint in --out")
                .option("seed", "N", "1", "seed (initialisation, permutations, data order, noise, samples)")
                .option("max-iterations", "N", "0", "stop after this many iterations in total (0: no limit)")
                .option("log-every", "N", "20", "iterations between progress lines")
                .option("checkpoint-every", "N", "100", "iterations between checkpoints (also at every epoch end)")
                .option("workers", "N", "1", "data-parallel replicas (ParallelWrapper, parameter averaging every "
                        + "round); progress and checkpoints then come every --log-every rounds")
                .option("temperature", "T", "0.8", "temperature of the final sample grid")
                .option("rows", "N", "8", "rows of the sample and transfer grids")
                .flag("ui", "attach DL4J's training UI (StatsListener + UIServer, needs the -Pui build)")
                .option("ui-port", "N", "9000", "port of the training UI")
                .example("cinn train                                   # main job: quick model, 3 epochs, runs/mnist")
                .example("cinn train --model paper --epochs 60 --out runs/paper   # paper configuration")
                .example("cinn train --out runs/paper --resume         # continue after an interruption")
                .example("cinn train --preset fashion-mnist --out runs/fashion")
                .example("cinn train --workers 2 --out runs/w2           # 2 replicas on 2 cores, averaged")
                .example("cinn train --model tiny --epochs 1 --limit 2000 --out /tmp/smoke   # smoke test");
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = args().parse(argv);
        if (a.helpRequested()) {
            out.print(a.help());
            return 0;
        }
        long wallStart = System.nanoTime();
        // every option is read (and checked) before any work starts
        int limit = a.integer("limit");
        int epochs = a.integer("epochs");
        long seed = a.longValue("seed");
        int maxIterations = a.integer("max-iterations");
        int logEvery = a.integer("log-every");
        int checkpointEvery = a.integer("checkpoint-every");
        int workers = a.integer("workers");
        if (workers < 1) {
            throw new Args.UsageException("train: --workers must be >= 1, got " + workers);
        }
        int evalEveryEpoch = a.integer("eval-every-epoch");
        int testLimit = a.integer("test-limit");
        double temperature = a.number("temperature");
        int rows = a.integer("rows");
        int uiPort = a.integer("ui-port");
        Path outDir = a.path("out");
        MnistCinn.Builder mb = MnistCinn.preset(a.string("model")).seed(seed);
        if (a.has("batch")) mb.batchSize(a.integer("batch"));
        if (a.has("lr")) mb.learningRate(a.number("lr"));
        if (a.has("lr-final")) mb.finalLearningRate(a.number("lr-final"));
        if (a.has("blocks")) mb.blocks(a.integer("blocks"));
        if (a.has("hidden")) mb.hidden(a.integers("hidden"));
        if (a.has("clamp-alpha")) mb.clampAlpha(a.number("clamp-alpha"));
        if (a.has("label-embedding")) mb.labelEmbedding(a.integer("label-embedding"));
        if (a.flagSet("no-permutation")) mb.permutations(false);
        if (a.flagSet("plain-init")) mb.zeroInitLastLayer(false);
        if (a.flagSet("standardize")) mb.standardize(true);
        if (a.flagSet("no-standardize")) mb.standardize(false);
        if (a.has("noise-sigma")) mb.noiseSigma(a.number("noise-sigma"));
        if (a.has("l2")) mb.l2(a.number("l2"));

        RunFiles.DataChoice data = RunFiles.chooseData(a.string("preset"), a.path("data"), !a.flagSet("no-fallback"),
                err);
        LabeledImages train = data.load(Split.TRAIN);
        if (limit > 0) {
            train = train.first(limit);
        }
        LabeledImages test = data.load(Split.TEST);
        int numClasses = data.dataset().numClasses();
        mb.numClasses(numClasses);
        MnistCinn probe = mb.build();
        ConditionalImageIterator it = ConditionalImageIterator.builder(train).batchSize(probe.batchSize())
                .numClasses(numClasses).shuffle(seed)
                .preProcessor(NoiseAugmentation.gaussian(probe.noiseSigma(), seed)).build();
        // an iteration is a round of one batch per worker: the decay is planned for rounds
        int planned = (int) Math.max(1, CinnTrainer.plannedIterations(it.batchesPerEpoch(), epochs, workers,
                maxIterations));
        MnistCinn model = mb.decayIterations(planned).build();
        err.println("cinn train: " + model + " on " + data.dataset().displayName() + " (" + train.count()
                + " training images, " + epochs + " epochs, " + planned + " iterations planned"
                + (workers > 1 ? ", " + workers + " workers: effective batch " + workers * model.batchSize() : "")
                + ") -> " + outDir.toAbsolutePath());
        if (workers > 1) {
            int total = Nd4j.getEnvironment().maxMasterThreads();
            err.println("cinn train: " + ParallelCinnTraining.threadsPerWorker(total, workers) + " ND4J/BLAS "
                    + "thread(s) per worker (" + total + " in all; -D" + CpuThreads.PROPERTY
                    + "=N or OMP_NUM_THREADS=N sets the total)");
        }
        CinnTrainer.Builder tb = CinnTrainer.builder().epochs(epochs).seed(seed).outputDir(outDir)
                .resume(a.flagSet("resume")).logEvery(logEvery).workers(workers)
                .checkpointEvery(checkpointEvery).maxIterations(maxIterations)
                .testSet(test, numClasses).testExamplesPerEpoch(evalEveryEpoch)
                .finalTestExamples(testLimit)
                .info("dataset", data.dataset().displayName()).info("preset", data.key())
                .info("trainExamples", train.count()).info("batchSize", model.batchSize())
                .info("effectiveBatchSize", workers * model.batchSize())
                .info("noiseSigma", model.noiseSigma()).info("modelPreset", a.string("model"))
                .info("model", model.toString());
        if (data.note() != null) {
            tb.info("dataNote", "MNIST not found; trained on Fashion-MNIST instead (run scripts/fetch-data.sh)");
        }
        if (a.flagSet("ui")) {
            tb.listener(TrainingUi.start(uiPort));
        }
        TrainingResult r = tb.build().fit(model::init, it);

        // figures
        ConditionalFigures fig = ConditionalFigures.of(r.graph(), numClasses);
        Path samples = outDir.resolve("samples.png");
        ImageGrid.write(fig.sampleGrid(rows, temperature, seed), 2, 2, samples);
        Path transfer = outDir.resolve("transfer.png");
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) idx[i] = i;
        ImageGrid.write(fig.transfer(test, idx), 2, 2, transfer);

        Map<String, Object> m = new LinkedHashMap<>(r.metrics());
        m.put("wallSecondsTrainCommand", Math.round((System.nanoTime() - wallStart) / 1e8) / 10.0);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("samples", samples.toString());
        files.put("samplesTemperature", temperature);
        files.put("transfer", transfer.toString());
        files.put("curve", r.curveFile().toString());
        files.put("model", r.modelFile().toString());
        files.put("checkpoint", outDir.resolve(Checkpoints.MODEL).toString());
        m.put("files", files);
        Checkpoints.writeAtomically(r.metricsFile(), Json.write(m));

        out.println(summary(m, data, outDir, r));
        return 0;
    }

    private static String summary(Map<String, Object> m, RunFiles.DataChoice data, Path outDir, TrainingResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nDone: %s epochs, %s iterations on %s in %.1f min (%s)%n",
                m.get("epochs"), m.get("iterations"), data.dataset().displayName(),
                ((Number) m.get("wallSecondsTrainCommand")).doubleValue() / 60, m.get("model")));
        if (data.note() != null) {
            sb.append("  NOTE: MNIST was not found, this run used Fashion-MNIST (run scripts/fetch-data.sh)\n");
        }
        sb.append(String.format(Locale.ROOT, "  test bits/dim   %s  (NLL %s nats/dim; uniform-dequantisation bound "
                + "over %s test images)%n", m.get("testBitsPerDim"), m.get("testNllNatsPerDim"), m.get("testExamples")));
        sb.append(String.format(Locale.ROOT, "  speed           train %s samples/s, sampling %s samples/s%n",
                m.get("trainSamplesPerSecond"), m.get("samplingSamplesPerSecond")));
        sb.append(String.format(Locale.ROOT, "  memory          peak heap %s MiB, peak RSS %s MiB%n",
                m.get("peakHeapMiB"), m.get("peakRssMiB")));
        sb.append("  samples         ").append(outDir.resolve("samples.png")).append('\n');
        sb.append("  style transfer  ").append(outDir.resolve("transfer.png")).append('\n');
        sb.append("  metrics         ").append(r.metricsFile()).append('\n');
        sb.append("  training curve  ").append(r.curveFile()).append('\n');
        sb.append("  model           ").append(r.modelFile()).append('\n');
        sb.append("Next: cinn evaluate --run ").append(outDir)
                .append("   (label fidelity by an independent classifier, diversity)");
        return sb.toString();
    }
}
