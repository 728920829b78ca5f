package io.github.dl4jcinn.zoo.color;

import io.github.dl4jcinn.zoo.conditioning.PretrainedWeights;
import io.github.dl4jcinn.zoo.image.ImageGrid;
import io.github.dl4jcinn.zoo.image.LinePlot;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command line for diverse colorization: {@code train}, {@code evaluate}, {@code colorize}; reached as
 * {@code cinn color ...} (or run this class's {@code main} directly). Run without arguments or with {@code --help}
 * for the usage text ({@link #USAGE}).
 */
public final class ColorizeCommand {

    public static final String USAGE = String.join("\n",
            "Diverse colorization with a conditional INN (Lab: generate a,b given L).",
            "",
            "usage: cinn color <command> [options]",
            "",
            "  train     --train-dir DIR --out DIR [--eval-dir DIR | --holdout F] [--preset small|full|tiny]",
            "            [--model both|cinn|cnn] [--minutes M] [--iterations N] [--batch N] [--lr X]",
            "            [--conditioning joint|joint:K|fixed|none] [--backbone vgg16|resnet50:STAGE]",
            "            [--pretrained-cache DIR [--allow-download]] [--tile-cache DIR] [--short-side PX]",
            "            [--max-tiles N] [--seed S]",
            "      Cuts every photo of --train-dir into tiles (cached), trains the cINN (and the regression CNN",
            "      baseline of about the same size) for the time or iteration budget each, writes cinn.zip,",
            "      cnn.zip, training-<model>.json and training-curves-*.png to --out. With --eval-dir (or --holdout, a",
            "      fraction of the photos held out by photo) it then runs `evaluate` on those photos.",
            "  evaluate  --eval-dir DIR --out DIR [--cinn FILE] [--cnn FILE] [--samples K] [--tiles-per-photo N]",
            "            [--tile-cache DIR] [--short-side PX] [--seed S]",
            "      Best-of-K MSE and per-pixel sample variance (K = 8, the paper's Table 1) of the cINN, the CNN and",
            "      grey-only (a = b = 0) on tiles of held-out photos; writes metrics.json, metrics.md, examples.png.",
            "  colorize  --model FILE --input IMAGE --out FILE.png [--samples N] [--temperature T] [--seed S]",
            "            [--scale S1,S2,...] [--reference IMAGE[,IMAGE...]]",
            "      N diverse colorizations of the input's lightness (a colour input is made grey first), each at",
            "      the input's resolution (a,b upsampled), in one strip [grey | 1 | 2 | ...]. --scale decodes one",
            "      latent z* scaled by each factor (the paper's Fig. 14). --reference transfers colours: each",
            "      reference is encoded to z and decoded under the input's L (Fig. 15); strip [reference | result].",
            "",
            "Photos: scripts/fetch-photos.sh puts wallpapers in <dest>/train and other packages' photos in <dest>/eval.");

    private final PrintStream out;

    public ColorizeCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        System.exit(new ColorizeCommand(System.out).run(args));
    }

    /** Runs a command; returns the exit code (0 ok, 2 usage error). */
    public int run(String... args) throws IOException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(USAGE);
            return 0;
        }
        Map<String, String> o;
        try {
            o = options(args);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage() + "\n\n" + USAGE);
            return 2;
        }
        try {
            switch (args[0]) {
                case "train": train(o); return 0;
                case "evaluate": evaluate(o); return 0;
                case "colorize": colorize(o); return 0;
                default:
                    out.println("error: unknown command '" + args[0] + "'\n\n" + USAGE);
                    return 2;
            }
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
    }

    // ---- train ----

    private void train(Map<String, String> o) throws IOException {
        Path trainDir = Path.of(required(o, "train-dir"));
        Path outDir = Path.of(required(o, "out"));
        ColorizationCinn.Config c = ColorizationCinn.preset(o.getOrDefault("preset", "small"));
        if (o.containsKey("conditioning")) c.conditioning(o.get("conditioning"));
        if (o.containsKey("backbone")) c.backbone(o.get("backbone"));
        if (o.containsKey("batch")) c.batchSize = Integer.parseInt(o.get("batch"));
        if (o.containsKey("lr")) c.learningRate = Double.parseDouble(o.get("lr"));
        if (o.containsKey("seed")) c.seed = Long.parseLong(o.get("seed"));
        String which = o.getOrDefault("model", "both");
        double seconds = Double.parseDouble(o.getOrDefault("minutes", o.containsKey("iterations") ? "0" : "10")) * 60;
        int iterations = Integer.parseInt(o.getOrDefault("iterations", "0"));
        PhotoTiles tiler = tiler(o, c, outDir);
        Files.createDirectories(outDir);

        List<PhotoTileSet> photos = tiler.load(PhotoTiles.listImages(trainDir));
        List<PhotoTileSet> heldOut = List.of();
        if (o.containsKey("holdout")) {
            List<List<PhotoTileSet>> split = PhotoTiles.splitByPhoto(photos, Double.parseDouble(o.get("holdout")),
                    c.seed);
            photos = split.get(0);
            heldOut = split.get(1);
        }
        if (o.containsKey("max-tiles")) {
            photos = capTiles(photos, Integer.parseInt(o.get("max-tiles")));
        }
        LabData train = LabData.of(photos, c.lSize, c.abSize);
        c.dataStatistics(train.abMean(), train.abStd());
        out.printf(Locale.ROOT, "training data: %d tiles of %dx%d from %d photos in %s; a,b mean %.2f %.2f, std %.2f %.2f%n",
                train.size(), c.lSize, c.lSize, photos.size(), trainDir, c.abMean[0], c.abMean[1], c.abStd[0],
                c.abStd[1]);
        out.println("model: " + c);

        PretrainedWeights pretrained = null;
        if (o.containsKey("pretrained-cache")) {
            Path cache = Path.of(o.get("pretrained-cache"));
            pretrained = o.containsKey("allow-download") ? PretrainedWeights.allowingDownload(cache)
                    : PretrainedWeights.offline(cache);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("config", c.toString());
        report.put("trainDir", trainDir.toAbsolutePath().toString());
        report.put("trainPhotos", photos.stream().map(p -> p.photoId() + ":" + p.count()).toList());
        report.put("trainTiles", train.size());
        long cinnParams = -1;
        if (!which.equals("cnn")) {
            ComputationGraph g = ColorizationCinn.init(c, pretrained);
            cinnParams = g.params().length();
            out.printf("cINN: %,d parameters; training %s%n", cinnParams, budget(seconds, iterations));
            ColorTraining.Result r = ColorTraining.train(g, ColorModelFiles.Kind.CINN, c, train, seconds, iterations,
                    25);
            ColorModelFiles.save(g, c, ColorModelFiles.Kind.CINN, outDir.resolve("cinn.zip"));
            out.printf(Locale.ROOT, "cINN: %d iterations, %d examples, %.0f s, last-50 loss %.4f nats/dim -> %s%n",
                    r.iterations(), r.examplesSeen(), r.seconds(), r.recentLoss(50), outDir.resolve("cinn.zip"));
            report.put("cinn", trainingReport(r, cinnParams));
            new LinePlot("cINN training (" + c.name + ")").xLabel("iteration")
                    .yLabel("loss, nats/dim (no 0.5 ln 2pi)").addSeries("batch loss, smoothed", smooth(r.losses()))
                    .write(outDir.resolve("training-curves-cinn.png"));
        }
        if (!which.equals("cinn")) {
            long target = cinnParams > 0 ? cinnParams : ColorizationCinn.init(c).params().length();
            ComputationGraph g = RegressionCnn.init(c, target);
            out.printf("CNN: %,d parameters; training %s%n", g.numParams(), budget(seconds, iterations));
            ColorTraining.Result r = ColorTraining.train(g, ColorModelFiles.Kind.CNN, c, train, seconds, iterations,
                    25);
            ColorModelFiles.save(g, c, ColorModelFiles.Kind.CNN, outDir.resolve("cnn.zip"));
            out.printf(Locale.ROOT, "CNN: %d iterations, %d examples, %.0f s -> %s%n", r.iterations(),
                    r.examplesSeen(), r.seconds(), outDir.resolve("cnn.zip"));
            report.put("cnn", trainingReport(r, g.numParams()));
            new LinePlot("regression CNN training (" + c.name + ")").xLabel("iteration")
                    .yLabel("MSE (standardised a,b; summed over pixels)").addSeries("batch loss, smoothed",
                            smooth(r.losses())).write(outDir.resolve("training-curves-cnn.png"));
        }
        Files.writeString(outDir.resolve("training-" + which + ".json"), Json.write(report), StandardCharsets.UTF_8);

        if (o.containsKey("eval-dir") || !heldOut.isEmpty()) {
            Map<String, String> e = new HashMap<>(o);
            Path cinn = outDir.resolve("cinn.zip");
            Path cnn = outDir.resolve("cnn.zip");
            if (Files.exists(cinn)) e.put("cinn", cinn.toString());
            if (Files.exists(cnn)) e.put("cnn", cnn.toString());
            evaluate(e, heldOut.isEmpty() ? null : heldOut);
        }
    }

    private static Map<String, Object> trainingReport(ColorTraining.Result r, long params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parameters", params);
        m.put("iterations", r.iterations());
        m.put("examplesSeen", r.examplesSeen());
        m.put("seconds", Math.round(r.seconds()));
        m.put("lossLast50", r.recentLoss(50));
        m.put("loss", r.losses());
        return m;
    }

    // ---- evaluate ----

    private void evaluate(Map<String, String> o) throws IOException {
        evaluate(o, null);
    }

    private void evaluate(Map<String, String> o, List<PhotoTileSet> heldOut) throws IOException {
        Path outDir = Path.of(required(o, "out"));
        Colorizer cinn = o.containsKey("cinn") ? Colorizer.of(ColorModelFiles.load(Path.of(o.get("cinn")))) : null;
        Colorizer cnn = o.containsKey("cnn") ? Colorizer.of(ColorModelFiles.load(Path.of(o.get("cnn")))) : null;
        if (cinn == null && cnn == null) {
            throw new IllegalArgumentException("evaluate needs --cinn and/or --cnn");
        }
        ColorizationCinn.Config c = (cinn != null ? cinn : cnn).config();
        int k = Integer.parseInt(o.getOrDefault("samples", "8"));
        int perPhoto = Integer.parseInt(o.getOrDefault("tiles-per-photo", "24"));
        long seed = Long.parseLong(o.getOrDefault("seed", "7"));
        List<PhotoTileSet> photos;
        String source;
        if (heldOut != null) {
            photos = heldOut;
            source = "held-out photos of " + o.get("train-dir");
        } else {
            Path dir = Path.of(required(o, "eval-dir"));
            photos = tiler(o, c, outDir).load(PhotoTiles.listImages(dir));
            source = dir.toAbsolutePath().toString();
        }
        photos = spread(photos, perPhoto);
        LabData data = LabData.of(photos, c.lSize, c.abSize);
        out.printf("evaluating on %d tiles from %d photos (%s), %d samples each%n", data.size(), photos.size(),
                source, k);
        long t0 = System.nanoTime();
        Map<String, ColorMetrics.Result> results = ColorEvaluation.evaluate(cinn, cnn, data, k, 32, seed);
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder md = new StringBuilder("| method | best-of-" + k + " MSE | variance |\n| --- | --- | --- |\n");
        Map<String, Object> json = new LinkedHashMap<>();
        for (Map.Entry<String, ColorMetrics.Result> e : results.entrySet()) {
            ColorMetrics.Result r = e.getValue();
            out.println("  " + e.getKey() + ": " + r);
            md.append(String.format(Locale.ROOT, "| %s | %.2f ± %.2f | %.2f ± %.2f |%n", e.getKey(), r.bestOfKMse(),
                    r.bestOfKMseError(), r.variance(), r.varianceError()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bestOfKMse", r.bestOfKMse());
            m.put("bestOfKMseStdErr", r.bestOfKMseError());
            m.put("variance", r.variance());
            m.put("varianceStdErr", r.varianceError());
            json.put(e.getKey(), m);
        }
        if (cinn != null) {
            double nll = ColorTraining.evaluateLoss(cinn.graph(), ColorModelFiles.Kind.CINN, c, data, 16);
            json.put("cinnHeldOutLossNatsPerDim", nll);
            md.append(String.format(Locale.ROOT, "%ncINN held-out loss %.4f nats/dim (no noise, no constant)%n", nll));
        }
        json.put("units", "CIE Lab a,b units squared, at " + c.abSize + "x" + c.abSize);
        json.put("samplesPerTile", k);
        json.put("tiles", data.size());
        json.put("photos", photos.stream().map(p -> p.photoId() + ":" + p.count()).toList());
        json.put("source", source);
        json.put("seconds", Math.round(seconds));
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("metrics.json"), Json.write(json), StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("metrics.md"), md.toString(), StandardCharsets.UTF_8);
        int rows = Math.min(8, photos.size());
        int[] tiles = new int[rows];
        int start = 0;
        for (int p = 0, r = 0; p < photos.size() && r < rows; p++) {
            tiles[r++] = start + photos.get(p).count() / 2;
            start += photos.get(p).count();
        }
        Path png = outDir.resolve("examples.png");
        ColorEvaluation.writeExamples(cinn, cnn, data, tiles, 4, seed, 2, png);
        out.println("wrote " + outDir.resolve("metrics.json") + ", " + png
                + " (columns: grey input, ground truth, CNN, cINN samples)");
    }

    // ---- colorize ----

    private void colorize(Map<String, String> o) throws IOException {
        Colorizer col = Colorizer.of(ColorModelFiles.load(Path.of(required(o, "model"))));
        if (col.kind() != ColorModelFiles.Kind.CINN) {
            throw new IllegalArgumentException("colorize needs the cINN model (cinn.zip)");
        }
        Path outPng = Path.of(required(o, "out"));
        BufferedImage input = read(Path.of(required(o, "input")));
        int w = input.getWidth();
        int h = input.getHeight();
        double[] l = LabImages.toLab(input)[0];
        INDArray lIn = col.lInput(l, w, h);
        long seed = Long.parseLong(o.getOrDefault("seed", "1"));
        List<BufferedImage> strip = new ArrayList<>();
        if (o.containsKey("reference")) {
            for (String ref : o.get("reference").split(",")) {
                BufferedImage r = read(Path.of(ref.trim()));
                double[][] lab = LabImages.toLab(r);
                INDArray z = col.encode(col.lInput(lab[0], r.getWidth(), r.getHeight()),
                        col.abLab(lab[1], lab[2], r.getWidth(), r.getHeight()));
                strip.add(resizeTo(r, w, h));
                strip.add(compose(l, w, h, col.decode(z, lIn)));
            }
            out.println("colour transfer from " + o.get("reference"));
        } else if (o.containsKey("scale")) {
            Nd4j.getRandom().setSeed(seed);
            INDArray z = Nd4j.randn(lIn.dataType(), 1, col.latentSize());
            strip.add(LabImages.grey(l, w, h));
            for (String s : o.get("scale").split(",")) {
                strip.add(compose(l, w, h, col.decode(z.mul(Double.parseDouble(s.trim())), lIn)));
            }
            out.println("latent scaling " + o.get("scale") + " of one z* ~ N(0, I)");
        } else {
            int n = Integer.parseInt(o.getOrDefault("samples", "8"));
            double t = Double.parseDouble(o.getOrDefault("temperature", "1"));
            strip.add(LabImages.grey(l, w, h));
            INDArray[] samples = col.sample(lIn, n, t, seed);
            for (int i = 0; i < n; i++) {
                BufferedImage img = compose(l, w, h, samples[i]);
                strip.add(img);
                String name = outPng.getFileName().toString().replaceFirst("\\.png$", "") + "-" + (i + 1) + ".png";
                ImageGrid.writePng(img, outPng.resolveSibling(name));
            }
            out.println(n + " colorizations at temperature " + t);
        }
        writeStrip(strip, outPng);
        out.println("wrote " + outPng + " (" + strip.size() + " panels of " + w + "x" + h + ")");
    }

    private static BufferedImage compose(double[] l, int w, int h, INDArray ab) {
        return ColorEvaluation.compose(l, w, h, ab);
    }

    private static BufferedImage resizeTo(BufferedImage img, int w, int h) {
        double[][] lab = LabImages.toLab(img);
        int iw = img.getWidth();
        int ih = img.getHeight();
        return LabImages.toImage(LabImages.resize(lab[0], iw, ih, w, h), w, h,
                LabImages.resize(lab[1], iw, ih, w, h), LabImages.resize(lab[2], iw, ih, w, h), w, h);
    }

    private static void writeStrip(List<BufferedImage> panels, Path png) throws IOException {
        int w = panels.get(0).getWidth();
        int h = panels.get(0).getHeight();
        int pad = 4;
        BufferedImage strip = new BufferedImage(panels.size() * (w + pad) + pad, h + 2 * pad,
                BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = strip.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, strip.getWidth(), strip.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), pad + i * (w + pad), pad, null);
        }
        g.dispose();
        ImageGrid.writePng(strip, png);
    }

    private static BufferedImage read(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) {
            throw new IOException("cannot read image " + p);
        }
        return img;
    }

    // ---- helpers ----

    private static PhotoTiles tiler(Map<String, String> o, ColorizationCinn.Config c, Path outDir) {
        Path cache = Path.of(o.getOrDefault("tile-cache", outDir.resolve("tile-cache").toString()));
        return new PhotoTiles(c.lSize, Integer.parseInt(o.getOrDefault("short-side", "512")), cache);
    }

    /** At most {@code perPhoto} tiles of each photo, evenly spread over its grid (deterministic). */
    static List<PhotoTileSet> spread(List<PhotoTileSet> photos, int perPhoto) {
        List<PhotoTileSet> out = new ArrayList<>();
        for (PhotoTileSet p : photos) {
            if (p.count() <= perPhoto) {
                out.add(p);
                continue;
            }
            int per = p.tileSize() * p.tileSize() * 3;
            byte[] data = new byte[perPhoto * per];
            for (int i = 0; i < perPhoto; i++) {
                int t = (int) ((long) i * p.count() / perPhoto);
                System.arraycopy(p.rgb(), t * per, data, i * per, per);
            }
            out.add(new PhotoTileSet(p.photoId(), p.tileSize(), perPhoto, data));
        }
        return out;
    }

    private static List<PhotoTileSet> capTiles(List<PhotoTileSet> photos, int max) {
        int total = PhotoTiles.count(photos);
        if (total <= max) {
            return photos;
        }
        int per = Math.max(1, max / photos.size());
        return spread(photos, per);
    }

    private static double[] smooth(List<Double> xs) {
        double[] out = new double[xs.size()];
        double m = Double.NaN;
        for (int i = 0; i < out.length; i++) {
            double x = xs.get(i);
            m = Double.isNaN(m) ? x : 0.95 * m + 0.05 * x;
            out[i] = m;
        }
        return out;
    }

    private static String budget(double seconds, int iterations) {
        return (seconds > 0 ? String.format(Locale.ROOT, "%.1f min", seconds / 60) : "")
                + (seconds > 0 && iterations > 0 ? " or " : "") + (iterations > 0 ? iterations + " iterations" : "");
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }

    private static final List<String> FLAGS = List.of("allow-download");

    /** {@code --key value} pairs after the command word; flags take no value. */
    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            if (FLAGS.contains(key)) {
                m.put(key, "true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                m.put(key, args[++i]);
            }
        }
        return m;
    }

    /** Minimal JSON writer for reports (maps, lists, strings, numbers, booleans). */
    static final class Json {
        private Json() {}

        static String write(Object o) {
            StringBuilder sb = new StringBuilder();
            write(o, sb, "");
            return sb.append('\n').toString();
        }

        private static void write(Object o, StringBuilder sb, String indent) {
            if (o instanceof Map<?, ?> m) {
                sb.append("{");
                String in = indent + "  ";
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(i++ == 0 ? "\n" : ",\n").append(in);
                    string(String.valueOf(e.getKey()), sb);
                    sb.append(": ");
                    write(e.getValue(), sb, in);
                }
                sb.append(m.isEmpty() ? "}" : "\n" + indent + "}");
            } else if (o instanceof List<?> l) {
                boolean numbers = l.stream().allMatch(x -> x instanceof Number);
                sb.append("[");
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(numbers ? ", " : ",\n" + indent + "  ");
                    else if (!numbers) sb.append("\n").append(indent).append("  ");
                    write(l.get(i), sb, indent + "  ");
                }
                sb.append(!numbers && !l.isEmpty() ? "\n" + indent + "]" : "]");
            } else if (o instanceof Double d) {
                sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null");
            } else if (o instanceof Number || o instanceof Boolean) {
                sb.append(o);
            } else if (o == null) {
                sb.append("null");
            } else {
                string(o.toString(), sb);
            }
        }

        private static void string(String s, StringBuilder sb) {
            sb.append('"');
            for (char ch : s.toCharArray()) {
                switch (ch) {
                    case '"': sb.append("\\\""); break;
                    case '\\': sb.append("\\\\"); break;
                    case '\n': sb.append("\\n"); break;
                    default:
                        if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                        else sb.append(ch);
                }
            }
            sb.append('"');
        }
    }
}
