package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.zoo.image.ImageGrid;
import io.github.dl4jcinn.zoo.image.LinePlot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The human-readable side of a sweep: {@value #CURVES} (all candidates' validation and training curves, one panel
 * each, like the paper's Fig. 10) and {@value #REPORT} (candidates ranked by validation bits/dim, failures with their
 * reasons, and a verdict for each candidate against the reference, e.g. the full model).
 */
public final class SweepReport {

    public static final String CURVES = "curves.png";
    public static final String REPORT = "report.md";

    /** Differences below this (bits/dim) are called "no clear effect": one seed, short runs. */
    public static final double NOISE_BITS = 0.02;
    /** A training-curve rise above its running minimum larger than this (bits/dim) is reported as a spike. */
    public static final double SPIKE_BITS = 0.25;

    private final Preset preset;
    private final SweepSettings settings;
    private final String data;
    private final Duration budget;

    public SweepReport(Preset preset, SweepSettings settings, String data, Duration budget) {
        this.preset = preset;
        this.settings = settings;
        this.data = data;
        this.budget = budget;
    }

    // ---- curves ----

    /** Two panels side by side: validation bits/dim and training loss (bits/dim) against iterations. */
    public void writeCurves(List<CandidateResult> results, Path png) throws IOException {
        BufferedImage val = panel(results, true).render();
        BufferedImage train = panel(results, false).render();
        BufferedImage img = new BufferedImage(val.getWidth() + train.getWidth(), Math.max(val.getHeight(),
                train.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.drawImage(val, 0, 0, null);
            g.drawImage(train, val.getWidth(), 0, null);
        } finally {
            g.dispose();
        }
        ImageGrid.writePng(img, png);
    }

    private LinePlot panel(List<CandidateResult> results, boolean validation) {
        double cap = cap(results, validation);
        String valTitle = preset.colorization() ? ": validation NLL (standardised a, b)" : ": validation (dequantised)";
        LinePlot plot = new LinePlot(preset.name() + (validation ? valTitle : ": training loss"))
                .xLabel("iteration").yLabel(validation ? "validation bits/dim" : "training bits/dim (noisy data)")
                .size(760, 560);
        for (CandidateResult r : results) {
            List<Integer> xs = validation ? r.validationIterations : r.trainIterations;
            List<Double> ys = validation ? r.validationBitsPerDim : r.trainBitsPerDim;
            double[] x = new double[xs.size()];
            double[] y = new double[xs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = xs.get(i);
                double v = ys.get(i) == null ? Double.NaN : ys.get(i);
                y[i] = Double.isFinite(v) && Double.isFinite(cap) ? Math.min(v, cap) : v;
            }
            String label = r.name + (r.completed() ? "" : " (FAILED at it. " + r.iterations + ")");
            plot.addSeries(label, x, y);
        }
        return plot;
    }

    /**
     * Upper y limit: a high percentile (97th for training, 90th for 20 or more validation points, else the maximum)
     * of the completed candidates' values after their first point, plus a margin.
     * The first points of a plainly initialised model, a single loss spike and diverging runs would otherwise flatten
     * every other curve; clipped values sit on the top edge, so spikes stay visible.
     */
    static double cap(List<CandidateResult> results, boolean validation) {
        List<Double> values = new ArrayList<>();
        for (CandidateResult r : results) {
            if (!r.completed()) continue;
            List<Double> ys = validation ? r.validationBitsPerDim : r.trainBitsPerDim;
            for (int i = Math.min(1, ys.size() - 1); i < ys.size(); i++) {
                Double v = ys.get(i);
                if (v != null && Double.isFinite(v)) values.add(v);
            }
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        values.sort(Double::compare);
        double min = values.get(0);
        // few validation points: only with enough of them may the top ones be outliers
        double q = !validation ? 0.97 : values.size() >= 20 ? 0.9 : 1.0;
        double high = values.get((int) Math.floor(q * (values.size() - 1)));
        return high + 0.15 * Math.max(0.1, high - min);
    }

    // ---- Markdown ----

    public String markdown(List<CandidateResult> results, List<CinnCandidateConfig> notRun) {
        List<CandidateResult> ranked = new ArrayList<>(results);
        ranked.sort(Comparator.comparing((CandidateResult r) -> !r.completed())
                .thenComparingDouble(r -> r.completed() ? r.score : Double.MAX_VALUE)
                .thenComparingInt(r -> r.index));
        CandidateResult ref = reference(ranked);
        StringBuilder sb = new StringBuilder();
        sb.append("# cINN ablation sweep: ").append(preset.name()).append("\n\n");
        sb.append(preset.description()).append("\n\n");
        sb.append("- Data: ").append(data).append('\n');
        sb.append(String.format(Locale.ROOT, "- Training: %d iterations per candidate (all the same), validation every "
                        + "%d iterations on %d images, final score on all validation images%n", settings.iterations(),
                settings.validateEvery(), settings.validationSubset()));
        sb.append(preset.colorization()
                ? "- Score: validation NLL in bits per value of the standardised a, b (validation photos, no noise; "
                + "lower is better; comparable between these candidates only). Training curves: the same on the "
                + "noisy training tiles.\n"
                : "- Score: validation bits/dim, uniform dequantisation of the 8-bit pixels (an upper bound on the "
                + "discrete NLL; lower is better). Training curves show the loss on the noisy training data.\n");
        sb.append("- Budget: ").append(budget.toMinutes()).append(" min; candidates run one at a time with Arbiter's "
                + "LocalOptimizationRunner\n");
        sb.append("- Curves: `").append(CURVES).append("`; every candidate: `").append(SweepResults.CSV)
                .append("` and `").append(SweepResults.CANDIDATES).append("/*/").append(SweepResults.RESULT_JSON)
                .append("`\n\n");

        sb.append("## Ranking\n\n");
        sb.append("| rank | candidate | status | val bits/dim | Δ vs ").append(ref == null ? "best" : "'" + ref.name + "'")
                .append(" | best val | reaches ref. at it. | max spike | s/it | time | note |\n");
        sb.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        int rank = 1;
        for (CandidateResult r : ranked) {
            sb.append("| ").append(r.completed() ? String.valueOf(rank++) : "-").append(" | ").append(md(r.name))
                    .append(" | ").append(r.status).append(" | ").append(f4(r.score)).append(" | ")
                    .append(r.completed() && ref != null ? signed(r.score - ref.score) : "").append(" | ")
                    .append(f4(r.bestValidation)).append(" | ").append(reachText(r, ref)).append(" | ")
                    .append(f2(r.maxSpike)).append(" | ").append(f3(r.secondsPerIteration)).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f s", r.seconds)).append(" | ")
                    .append(md(r.completed() ? "" : r.reason)).append(" |\n");
        }
        if (!notRun.isEmpty()) {
            sb.append("\nNot run (budget exhausted; run the same command again to resume): ");
            List<String> names = new ArrayList<>();
            for (CinnCandidateConfig c : notRun) names.add(c.displayName());
            sb.append(String.join(", ", names)).append(".\n");
        }
        sb.append("\n\"reaches ref. at it.\": first validation point at or below the reference's final score + ")
                .append(NOISE_BITS).append(" bits/dim (a speed measure); \"max spike\": largest rise of the "
                        + "training curve above its running minimum, bits/dim (instability).\n");

        sb.append("\n## Findings\n\n");
        for (CandidateResult r : ranked) {
            if (r == ref) continue;
            sb.append("- **").append(md(r.name)).append("**: ").append(verdict(r, ref));
            String claim = preset.claims().get(r.name);
            if (claim != null) {
                sb.append(" Paper: ").append(claim).append('.');
            }
            sb.append('\n');
        }
        if (ref != null && preset.claims().containsKey(ref.name)) {
            sb.append("- **").append(md(ref.name)).append("** (reference): ").append(f4(ref.score))
                    .append(" bits/dim. Paper: ").append(preset.claims().get(ref.name)).append(".\n");
        }
        sb.append("\nOne seed per candidate and short training: differences below ~").append(NOISE_BITS)
                .append(" bits/dim are within run-to-run noise. Scale up with more iterations (`--budget`, "
                        + "`--iterations`) and data (`--train-examples`).\n");

        sb.append("\n## Configurations\n\n");
        for (CandidateResult r : results) {
            sb.append("- #").append(r.index).append(' ').append(r.config == null ? md(r.name) : md(r.config.summary()))
                    .append(r.parameters > 0 ? String.format(Locale.ROOT, " (%,d parameters)", r.parameters) : "")
                    .append('\n');
        }
        return sb.toString();
    }

    /** The preset's reference candidate if it completed, else the best completed one. */
    private CandidateResult reference(List<CandidateResult> ranked) {
        for (CandidateResult r : ranked) {
            if (r.completed() && r.name.equals(preset.reference())) return r;
        }
        for (CandidateResult r : ranked) {
            if (r.completed()) return r;
        }
        return null;
    }

    String verdict(CandidateResult r, CandidateResult ref) {
        if (!r.completed()) {
            return "**destabilises training**: " + r.reason + ".";
        }
        if (ref == null) {
            return f4(r.score) + " bits/dim.";
        }
        double d = r.score - ref.score;
        StringBuilder v = new StringBuilder();
        if (d > NOISE_BITS) {
            v.append(String.format(Locale.ROOT, "worse than '%s' by %.3f bits/dim after the same %d iterations",
                    ref.name, d, r.iterations));
            Integer reach = reach(r, ref);
            Integer refReach = reach(ref, ref);
            v.append(reach == null ? " (never reached the reference's final score: slower or worse)"
                    : String.format(Locale.ROOT, " (reached the reference's final score at iteration %d vs %s)",
                    reach, refReach == null ? "-" : String.valueOf(refReach)));
            v.append('.');
        } else if (d < -NOISE_BITS) {
            v.append(String.format(Locale.ROOT, "better than '%s' by %.3f bits/dim at this budget.", ref.name, -d));
        } else {
            v.append(String.format(Locale.ROOT, "no clear effect (%+.3f bits/dim vs '%s').", d, ref.name));
        }
        if (Double.isFinite(r.maxSpike) && r.maxSpike > SPIKE_BITS
                && (!Double.isFinite(ref.maxSpike) || r.maxSpike > 2 * ref.maxSpike)) {
            v.append(String.format(Locale.ROOT, " Unstable: its training loss jumped %.2f bits/dim above its running "
                    + "minimum (reference: %.2f).", r.maxSpike, ref.maxSpike));
        }
        return v.toString();
    }

    /** First validation iteration at or below ref's final score + NOISE_BITS, or null. */
    static Integer reach(CandidateResult r, CandidateResult ref) {
        if (ref == null || !Double.isFinite(ref.score)) return null;
        for (int i = 0; i < r.validationBitsPerDim.size(); i++) {
            Double v = r.validationBitsPerDim.get(i);
            if (v != null && v <= ref.score + NOISE_BITS) {
                return r.validationIterations.get(i);
            }
        }
        return null;
    }

    private static String reachText(CandidateResult r, CandidateResult ref) {
        if (!r.completed()) return "";
        Integer i = reach(r, ref);
        return i == null ? "never" : String.valueOf(i);
    }

    private static String md(String s) {
        return s == null ? "" : s.replace("|", "\\|");
    }

    private static String f4(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    private static String f3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "";
    }

    private static String f2(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "";
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }
}
