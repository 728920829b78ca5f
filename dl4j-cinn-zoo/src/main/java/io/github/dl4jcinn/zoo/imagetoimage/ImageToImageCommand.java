package io.github.dl4jcinn.zoo.imagetoimage;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.layers.training.FiniteLossGuard;
import io.github.dl4jcinn.zoo.color.PhotoTileSet;
import io.github.dl4jcinn.zoo.color.PhotoTiles;
import io.github.dl4jcinn.zoo.image.ImageGrid;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code train} for the paired image-to-image cINN: fits {@link ImageToImageCinn} on one pair type for a time or
 * iteration budget, then writes the model zip, the held-out loss and a PNG of samples (rows: held-out pairs;
 * columns: condition y, true x, then samples x ~ p(x | y)).
 *
 * <pre>
 *   train --pairs xplanet  --pairs-dir DIR                 (DIR holds xplanet__earth.jpg, xplanet__night.jpg)
 *   train --pairs superres --train-dir DIR --eval-dir DIR  (derived: 4x block-averaged photo -> photo)
 *         --out DIR [--preset small|tiny] [--minutes M | --iterations N] [--samples K] [--seed S]
 * </pre>
 */
public final class ImageToImageCommand {

    public static final String USAGE = String.join("\n",
            "Paired image-to-image cINN (ResNet50 feature pyramid, CCBs with Haar downsampling).",
            "usage: image-to-image train --pairs xplanet --pairs-dir DIR --out DIR [options]",
            "       image-to-image train --pairs superres --train-dir DIR --eval-dir DIR --out DIR [options]",
            "options: --preset small|tiny  --minutes M | --iterations N  --samples K  --seed S",
            "xplanet: the one real aligned day/night pair (a toy); superres: pairs derived from photos.");

    /** Gaussian noise on x (images in [0, 1]) during training. */
    static final double NOISE = 0.02;

    private final PrintStream out;

    public ImageToImageCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        System.exit(new ImageToImageCommand(System.out).run(args));
    }

    public int run(String... args) throws IOException {
        if (args.length == 0 || !args[0].equals("train")) {
            out.println(USAGE);
            return args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2;
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!o.containsKey("out") || !o.containsKey("pairs")) {
            out.println("error: --pairs and --out are required\n" + USAGE);
            return 2;
        }
        ImageToImageCinn.Config c = "tiny".equals(o.get("preset")) ? ImageToImageCinn.tiny()
                : ImageToImageCinn.small();
        if (o.containsKey("seed")) c.seed = Long.parseLong(o.get("seed"));
        PairedImages train;
        PairedImages test;
        switch (o.get("pairs")) {
            case "xplanet": {
                Path dir = Path.of(o.getOrDefault("pairs-dir", "."));
                List<PairedImages> p = PairedImages.dayNight(dir.resolve("xplanet__earth.jpg"),
                        dir.resolve("xplanet__night.jpg"), c.size);
                train = p.get(0);
                test = p.get(1);
                break;
            }
            case "superres": {
                Path outDir = Path.of(o.get("out"));
                PhotoTiles tiler = new PhotoTiles(c.size, 512, Path.of(o.getOrDefault("tile-cache",
                        outDir.resolve("tile-cache").toString())));
                List<PhotoTileSet> tr = tiler.load(PhotoTiles.listImages(Path.of(o.get("train-dir"))));
                List<PhotoTileSet> ev = tiler.load(PhotoTiles.listImages(Path.of(o.get("eval-dir"))));
                train = PairedImages.superResolution(tr, 4);
                test = PairedImages.superResolution(ev, 4);
                break;
            }
            default:
                out.println("error: --pairs must be xplanet or superres\n" + USAGE);
                return 2;
        }
        Path outDir = Path.of(o.get("out"));
        Files.createDirectories(outDir);
        out.println("pairs: " + train.description() + ": " + train.size() + " train, " + test.size() + " test ("
                + test.description() + ")");
        out.println("model: " + c);
        ComputationGraph g = ImageToImageCinn.init(c);
        g.addListeners(new FiniteLossGuard());
        double seconds = Double.parseDouble(o.getOrDefault("minutes", o.containsKey("iterations") ? "0" : "5")) * 60;
        int iterations = Integer.parseInt(o.getOrDefault("iterations", "0"));
        SplittableRandom rng = new SplittableRandom(c.seed);
        long start = System.nanoTime();
        int it = 0;
        List<Double> losses = new ArrayList<>();
        while ((seconds <= 0 || (System.nanoTime() - start) / 1e9 < seconds) && (iterations <= 0 || it < iterations)) {
            int[] idx = new int[Math.min(c.batchSize, train.size())];
            for (int j = 0; j < idx.length; j++) {
                idx[j] = rng.nextInt(train.size());
            }
            g.fit(train.batch(idx, NOISE, rng));
            losses.add(g.score());
            if (++it % 25 == 0) {
                out.printf(Locale.ROOT, "iteration %d loss %.4f (%.0f s)%n", it, g.score(), (System.nanoTime() - start) / 1e9);
            }
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        double testLoss = 0;
        int batches = 0;
        for (int from = 0; from + c.batchSize <= test.size(); from += c.batchSize) {
            int[] idx = java.util.Arrays.copyOfRange(all, from, from + c.batchSize);
            testLoss += g.score(test.batch(idx, 0, rng), false);
            batches++;
        }
        testLoss /= Math.max(1, batches);
        ModelSerializer.writeModel(g, outDir.resolve("image-to-image.zip").toFile(), true);
        ModelSerializer.addObjectToFile(outDir.resolve("image-to-image.zip").toFile(), "image-to-image-config", c);

        int k = Integer.parseInt(o.getOrDefault("samples", "4"));
        int rows = Math.min(6, test.size());
        CinnInverse inv = CinnInverse.of(g);
        INDArray[][] grid = new INDArray[rows][];
        for (int r = 0; r < rows; r++) {
            int t = (int) ((long) r * test.size() / rows);
            int[] idx = {t};
            INDArray y = test.conditions(idx);
            grid[r] = new INDArray[2 + k];
            grid[r][0] = y.get(NDArrayIndex.point(0));
            grid[r][1] = test.targets(idx).get(NDArrayIndex.point(0));
            INDArray reps = y.repeat(0, k);
            INDArray samples = inv.sample(k, 1.0, Map.of(ImageToImageCinn.CONDITION, reps), c.seed + r);
            for (int s = 0; s < k; s++) {
                grid[r][2 + s] = samples.get(NDArrayIndex.point(s));
            }
        }
        Path png = outDir.resolve("samples.png");
        ImageGrid.write(grid, 2, 2, png);
        String json = String.format(Locale.ROOT, "{%n  \"pairs\": \"%s\",%n  \"trainPairs\": %d,%n  \"testPairs\": %d,%n"
                        + "  \"iterations\": %d,%n  \"seconds\": %.0f,%n  \"trainLossLast\": %.4f,%n"
                        + "  \"testLossNatsPerDim\": %.4f,%n  \"note\": \"loss = mean(0.5|z|^2 - log|J|)/D without the"
                        + " 0.5 ln(2 pi) constant; x in [0,1] with Gaussian noise sigma %.2f during training\"%n}%n",
                train.description(), train.size(), test.size(), it, trainSeconds,
                losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1), testLoss, NOISE);
        Files.writeString(outDir.resolve("metrics.json"), json, StandardCharsets.UTF_8);
        out.printf(Locale.ROOT, "%d iterations in %.0f s; held-out loss %.4f nats/dim; wrote %s (columns: y, true x, %d samples)%n",
                it, trainSeconds, testLoss, png, k);
        return 0;
    }
}
