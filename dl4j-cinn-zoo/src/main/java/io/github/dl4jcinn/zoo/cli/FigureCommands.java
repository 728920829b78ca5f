package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.Split;
import io.github.dl4jcinn.zoo.image.ImageGrid;
import io.github.dl4jcinn.zoo.latent.ConditionalFigures;
import io.github.dl4jcinn.zoo.latent.LatentPca;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.training.Checkpoints;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code cinn sample}, {@code cinn transfer} and {@code cinn explore}: figures from a trained model. */
final class FigureCommands {

    private FigureCommands() {}

    private static Args common(String name, String summary) {
        return new Args(name, summary)
                .option("run", "DIR", RunFiles.DEFAULT_RUN, "run directory written by cinn train")
                .option("model", "FILE", null, "model zip (default: <run>/model.zip, else <run>/checkpoint.zip)")
                .option("scale", "N", "2", "pixel upscaling of the PNG");
    }

    private static Args withData(Args a) {
        return a.option("preset", "mnist|fashion-mnist", null, "data set of the test images (default: the run's)")
                .option("data", "DIR", null, "directory with the IDX files");
    }

    static Args sampleArgs() {
        return common("sample", "Writes a sample grid like the paper's Fig. 6: every row decodes one latent z ~ N(0, T^2 I)"
                + "\nunder each of the ten labels (columns).")
                .option("out", "PNG", null, "output file (default <run>/samples-T<temperature>.png)")
                .option("rows", "N", "10", "rows (latents)")
                .option("temperature", "T", "1.0", "latent temperature (standard deviation of z)")
                .option("seed", "N", "1", "seed of the latents")
                .example("cinn sample --run runs/mnist --temperature 0.7 --rows 12");
    }

    static Args transferArgs() {
        return withData(common("transfer", "Writes a style-transfer grid like the paper's Fig. 7: real test images are "
                + "encoded with their own label\nand decoded with every label. Column 0 is the original, columns 1-10 "
                + "labels 0-9."))
                .option("out", "PNG", null, "output file (default <run>/transfer.png)")
                .option("count", "N", "8", "number of test images (rows)")
                .option("first", "I", "0", "index of the first test image")
                .example("cinn transfer --run runs/mnist --count 12 --first 100");
    }

    static Args exploreArgs() {
        return withData(common("explore", "Explores the latent space: PCA of the test-set latents (clean images, no noise),"
                + "\nimages along the first principal directions for every label (Fig. 4), a grid over the plane of"
                + "\nthe first two directions for one label, and a linear interpolation between two test latents."))
                .option("out-dir", "DIR", null, "output directory (default: the run directory)")
                .option("limit", "N", "10000", "test images for the PCA")
                .option("components", "N", "2", "principal directions to draw")
                .option("steps", "N", "9", "images per direction / interpolation")
                .option("range", "SD", "2.5", "standard deviations covered each side of the mean")
                .option("label", "K", "3", "label of the plane grid")
                .option("from", "I", "0", "test image where the interpolation starts")
                .option("to", "I", "1", "test image where it ends")
                .example("cinn explore --run runs/mnist --components 3 --label 8");
    }

    static int sample(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = sampleArgs().parse(argv);
        if (a.helpRequested()) {
            out.print(a.help());
            return 0;
        }
        Path run = RunFiles.run(a);
        double t = a.number("temperature");
        int rows = a.integer("rows");
        long seed = a.longValue("seed");
        int scale = a.integer("scale");
        Path png = a.path("out") != null ? a.path("out")
                : run.resolve(String.format(Locale.ROOT, "samples-T%.2f.png", t));
        ComputationGraph g = RunFiles.loadModel(RunFiles.modelFile(run, a.path("model")));
        ConditionalFigures fig = ConditionalFigures.of(g, numClasses(g));
        ImageGrid.write(fig.sampleGrid(rows, t, seed), 2, scale, png);
        out.println(png);
        return 0;
    }

    static int transfer(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = transferArgs().parse(argv);
        if (a.helpRequested()) {
            out.print(a.help());
            return 0;
        }
        Path run = RunFiles.run(a);
        int count = a.integer("count");
        int first = a.integer("first");
        int scale = a.integer("scale");
        ComputationGraph g = RunFiles.loadModel(RunFiles.modelFile(run, a.path("model")));
        LabeledImages test = testData(a, run, err);
        if (first < 0 || first + count > test.count()) {
            throw new Args.UsageException("transfer: test images " + first + ".." + (first + count - 1)
                    + " are outside 0.." + (test.count() - 1));
        }
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = first + i;
        Path png = a.path("out") != null ? a.path("out") : run.resolve("transfer.png");
        ImageGrid.write(ConditionalFigures.of(g, numClasses(g)).transfer(test, idx), 2, scale, png);
        out.println(png);
        return 0;
    }

    static int explore(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = exploreArgs().parse(argv);
        if (a.helpRequested()) {
            out.print(a.help());
            return 0;
        }
        Path run = RunFiles.run(a);
        int limit = a.integer("limit");
        int components = a.integer("components");
        int steps = a.integer("steps");
        double range = a.number("range");
        int scale = a.integer("scale");
        int label = a.integer("label");
        int from = a.integer("from");
        int to = a.integer("to");
        ComputationGraph g = RunFiles.loadModel(RunFiles.modelFile(run, a.path("model")));
        LabeledImages test = testData(a, run, err);
        Path dir = a.path("out-dir") != null ? a.path("out-dir") : run;
        ConditionalFigures fig = ConditionalFigures.of(g, numClasses(g));
        int n = Math.min(limit, test.count());
        long t0 = System.nanoTime();
        INDArray z = fig.encodeAll(test, n, 500);
        LatentPca pca = LatentPca.fit(z);
        err.printf(Locale.ROOT, "explore: PCA of %d test latents (%.1f s)%n", n, (System.nanoTime() - t0) / 1e9);
        List<String> written = new ArrayList<>();
        for (int c = 0; c < components; c++) {
            Path png = dir.resolve("explore-pc" + (c + 1) + ".png");
            ImageGrid.write(fig.principalDirection(pca, c, steps, range), 2, scale, png);
            written.add(png.toString());
        }
        Path plane = dir.resolve("explore-plane-label" + label + ".png");
        ImageGrid.write(fig.principalPlane(pca, steps, range, label), 2, scale, plane);
        written.add(plane.toString());
        if (from < 0 || to < 0 || from >= n || to >= n) {
            throw new Args.UsageException("explore: --from/--to must be test images below --limit " + n);
        }
        Path interp = dir.resolve("explore-interpolation.png");
        ImageGrid.write(fig.interpolation(z.getRow(from), z.getRow(to), steps), 2, scale, interp);
        written.add(interp.toString());

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("testImages", n);
        List<Double> var = new ArrayList<>();
        List<Double> explained = new ArrayList<>();
        for (int c = 0; c < Math.min(10, pca.dimensions()); c++) {
            var.add(pca.variance(c));
            explained.add(pca.explainedVariance(c + 1));
        }
        m.put("topVariances", var);
        m.put("cumulativeExplainedVariance", explained);
        m.put("meanLatentNorm", pca.mean().norm2Number().doubleValue());
        m.put("interpolation", Map.of("from", from, "fromLabel", test.label(from), "to", to, "toLabel",
                test.label(to)));
        m.put("files", written);
        Path json = dir.resolve("explore.json");
        Checkpoints.writeAtomically(json, Json.write(m));
        written.add(json.toString());
        written.forEach(out::println);
        return 0;
    }

    static LabeledImages testData(Args a, Path run, PrintStream err) throws Exception {
        String preset = a.string("preset") != null ? a.string("preset") : RunFiles.presetOfRun(run, "mnist");
        return RunFiles.chooseData(preset, a.path("data"), false, err).load(Split.TEST);
    }

    /**
     * Width of the label condition input of a class-conditional graph, read from a vertex that consumes it: a flow
     * block (its condition shape) or a DL4J feed-forward layer such as a label embedding (its {@code nIn}).
     */
    static int numClasses(ComputationGraph g) {
        io.github.dl4jcinn.layers.inverse.CinnInverse inv = io.github.dl4jcinn.layers.inverse.CinnInverse.of(g);
        String cond = io.github.dl4jcinn.zoo.training.CinnTrainer.conditionInput(g, inv);
        for (Map.Entry<String, List<String>> e : g.getConfiguration().getVertexInputs().entrySet()) {
            int pos = e.getValue().indexOf(cond);
            Object v = g.getConfiguration().getVertices().get(e.getKey());
            if (pos > 0 && v instanceof io.github.dl4jcinn.layers.vertex.FlowVertex) {
                return ((io.github.dl4jcinn.layers.vertex.FlowVertex) v).conditionShapes().get(pos - 1).size();
            }
            if (pos == 0 && v instanceof LayerVertex
                    && ((LayerVertex) v).getLayerConf().getLayer() instanceof FeedForwardLayer) {
                return (int) ((FeedForwardLayer) ((LayerVertex) v).getLayerConf().getLayer()).getNIn();
            }
        }
        throw new IllegalArgumentException("cannot tell the number of classes: neither a flow block nor a "
                + "feed-forward layer reads the condition '" + cond + "'");
    }
}
