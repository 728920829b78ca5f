package io.github.dl4jcinn.zoo.color;

import io.github.dl4jcinn.zoo.image.ImageGrid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Table 1 of the paper on held-out tiles: best-of-K MSE and sample variance ({@link ColorMetrics}) for the cINN, the
 * regression CNN and the grey-only baseline (a = b = 0), all against the same true a, b at the models' ab
 * resolution, in Lab units squared; plus a PNG of example colorizations.
 */
public final class ColorEvaluation {

    private ColorEvaluation() {}

    /** Metrics per method name ({@code cINN}, {@code CNN}, {@code grey}); null colorizers are skipped. */
    public static Map<String, ColorMetrics.Result> evaluate(Colorizer cinn, Colorizer cnn, LabData data, int k,
                                                           int batch, long seed) {
        ColorMetrics mCinn = new ColorMetrics();
        ColorMetrics mCnn = new ColorMetrics();
        ColorMetrics mGrey = new ColorMetrics();
        for (int from = 0; from < data.size(); from += batch) {
            int n = Math.min(batch, data.size() - from);
            int[] idx = new int[n];
            for (int j = 0; j < n; j++) {
                idx[j] = from + j;
            }
            INDArray l = data.lInput(idx, null);
            INDArray truth = data.abLab(idx);
            INDArray[] grey = new INDArray[k];
            java.util.Arrays.fill(grey, Nd4j.zerosLike(truth));
            mGrey.add(truth, grey);
            if (cinn != null) {
                mCinn.add(truth, cinn.sample(l, k, 1.0, seed + from));
            }
            if (cnn != null) {
                mCnn.add(truth, cnn.sample(l, k, 1.0, seed + from));
            }
        }
        Map<String, ColorMetrics.Result> out = new LinkedHashMap<>();
        if (cinn != null) {
            out.put("cINN", mCinn.result());
        }
        if (cnn != null) {
            out.put("CNN", mCnn.result());
        }
        out.put("grey", mGrey.result());
        return out;
    }

    /**
     * A grid, one row per chosen tile: grey input, ground truth, the CNN's colorization (if given), then
     * {@code samples} cINN colorizations (if given). {@code tiles} are indices into {@code data}.
     */
    public static void writeExamples(Colorizer cinn, Colorizer cnn, LabData data, int[] tiles, int samples,
                                     long seed, int scale, Path png) throws IOException {
        int s = data.lSize();
        List<INDArray[]> rows = new ArrayList<>();
        for (int t : tiles) {
            int[] idx = {t};
            double[] l = data.lPlane(t);
            INDArray truth = data.abLab(idx);
            List<INDArray> row = new ArrayList<>();
            row.add(rgb(LabImages.grey(l, s, s)));
            row.add(rgb(compose(l, s, s, truth)));
            INDArray lIn = data.lInput(idx, null);
            if (cnn != null) {
                row.add(rgb(compose(l, s, s, cnn.predict(lIn))));
            }
            if (cinn != null) {
                for (INDArray ab : cinn.sample(lIn, samples, 1.0, seed + t)) {
                    row.add(rgb(compose(l, s, s, ab)));
                }
            }
            rows.add(row.toArray(new INDArray[0]));
        }
        ImageGrid.write(rows.toArray(new INDArray[0][]), 2, scale, png);
    }

    /** RGB picture from an L plane ({@code w x h}) and one example's ab {@code [1, 2, abH, abW]} in Lab units. */
    static BufferedImage compose(double[] l, int w, int h, INDArray ab) {
        int abH = (int) ab.size(2);
        int abW = (int) ab.size(3);
        double[] a = ab.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .dup('c').data().asDouble();
        double[] b = ab.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1)).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .dup('c').data().asDouble();
        return LabImages.toImage(l, w, h, a, b, abW, abH);
    }

    /** {@code [3, H, W]} in [0, 1] for {@link ImageGrid}. */
    static INDArray rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[][] p = Resampling.toRgb(img);
        float[] f = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < w * h; i++) {
                f[c * w * h + i] = p[c][i] / 255f;
            }
        }
        return Nd4j.create(f, new long[]{3, h, w}, 'c');
    }
}
