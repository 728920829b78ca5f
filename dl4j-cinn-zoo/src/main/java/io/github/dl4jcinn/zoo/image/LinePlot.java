package io.github.dl4jcinn.zoo.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small PNG line chart for training curves (loss, bits/dim per epoch), drawn with Java2D so no plotting
 * library or display is needed. Forces {@code java.awt.headless=true} unless the property was already set.
 *
 * <p>Usage: {@code new LinePlot("cINN on MNIST").xLabel("epoch").yLabel("bits/dim").logY(true)
 * .addSeries("train", xs, ys).addSeries("test", xs2, ys2).write(path)}.
 *
 * <p>Points that are NaN or infinite (and, on a log-y axis, y &lt;= 0) are skipped and break the line, so a
 * diverged epoch shows as a gap instead of spoiling the axis range.
 */
public final class LinePlot {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Distinguishable series colours (cycled). */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf),
    };

    private static final int TARGET_TICKS = 6;
    private static final int MARKER_MAX_POINTS = 40;

    private final String title;
    private String xLabel = "";
    private String yLabel = "";
    private boolean logY;
    private int width = 800;
    private int height = 500;
    private final List<Series> series = new ArrayList<>();

    private record Series(String name, double[] x, double[] y) {
    }

    public LinePlot(String title) {
        this.title = title == null ? "" : title;
    }

    public LinePlot xLabel(String label) {
        this.xLabel = label == null ? "" : label;
        return this;
    }

    public LinePlot yLabel(String label) {
        this.yLabel = label == null ? "" : label;
        return this;
    }

    /** Logarithmic y axis (base 10); non-positive y values are then skipped. */
    public LinePlot logY(boolean logY) {
        this.logY = logY;
        return this;
    }

    /** Size of the PNG in pixels (default 800 x 500). */
    public LinePlot size(int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("plot must be at least 200x150, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** Adds a named series of (x[i], y[i]) points, drawn in the given order. The arrays are copied. */
    public LinePlot addSeries(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length
                    + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** Adds a series with x = 1, 2, ..., n (e.g. epochs). */
    public LinePlot addSeries(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return addSeries(name, x, y);
    }

    public void write(Path png) throws IOException {
        ImageGrid.writePng(render(), png);
    }

    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private boolean usable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);

        // Data ranges over usable points; y in log10 space when logY.
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (usable(s.x[i], s.y[i])) {
                    xMin = Math.min(xMin, s.x[i]);
                    xMax = Math.max(xMax, s.x[i]);
                    yMin = Math.min(yMin, s.y[i]);
                    yMax = Math.max(yMax, s.y[i]);
                }
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
            yMin = logY ? 1 : 0;
            yMax = logY ? 10 : 1;
        }
        Axis xAxis = Axis.linear(xMin, xMax);
        Axis yAxis = logY ? Axis.log(yMin, yMax) : Axis.linear(yMin, yMax);

        FontMetrics tfm = g.getFontMetrics(tickFont);
        int yTickWidth = 0;
        for (double t : yAxis.ticks) {
            yTickWidth = Math.max(yTickWidth, tfm.stringWidth(yAxis.format(t)));
        }
        int left = 20 + (yLabel.isEmpty() ? 0 : 22) + yTickWidth + 8;
        int right = width - 20;
        int top = title.isEmpty() ? 20 : 44;
        int bottom = height - (xLabel.isEmpty() ? 36 : 58);
        int plotW = right - left;
        int plotH = bottom - top;

        // Grid, ticks and tick labels.
        g.setFont(tickFont);
        Stroke thin = new BasicStroke(1f);
        for (double t : xAxis.ticks) {
            int px = left + (int) Math.round(xAxis.fraction(t) * plotW);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(px, top, px, bottom);
            g.setColor(Color.BLACK);
            g.drawLine(px, bottom, px, bottom + 5);
            String s = xAxis.format(t);
            g.drawString(s, px - tfm.stringWidth(s) / 2, bottom + 7 + tfm.getAscent());
        }
        for (double t : yAxis.ticks) {
            int py = bottom - (int) Math.round(yAxis.fraction(t) * plotH);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(left, py, right, py);
            g.setColor(Color.BLACK);
            g.drawLine(left - 5, py, left, py);
            String s = yAxis.format(t);
            g.drawString(s, left - 8 - tfm.stringWidth(s), py + tfm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.setStroke(thin);
        g.drawRect(left, top, plotW, plotH);

        // Title and axis labels.
        if (!title.isEmpty()) {
            g.setFont(titleFont);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, left + (plotW - fm.stringWidth(title)) / 2, 14 + fm.getAscent());
        }
        g.setFont(labelFont);
        FontMetrics lfm = g.getFontMetrics();
        if (!xLabel.isEmpty()) {
            g.drawString(xLabel, left + (plotW - lfm.stringWidth(xLabel)) / 2, height - 12);
        }
        if (!yLabel.isEmpty()) {
            AffineTransform saved = g.getTransform();
            g.translate(14 + lfm.getAscent(), top + (plotH + lfm.stringWidth(yLabel)) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, 0, 0);
            g.setTransform(saved);
        }

        // Series.
        // Clip a marker radius outside the frame so points on the axis range edges are drawn whole.
        g.setClip(left - 4, top - 4, plotW + 9, plotH + 9);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(PALETTE[si % PALETTE.length]);
            Path2D.Double path = new Path2D.Double();
            boolean penDown = false;
            int usableCount = 0;
            for (int i = 0; i < s.x.length; i++) {
                if (!usable(s.x[i], s.y[i])) {
                    penDown = false;
                    continue;
                }
                usableCount++;
                double px = left + xAxis.fraction(s.x[i]) * plotW;
                double py = bottom - yAxis.fraction(s.y[i]) * plotH;
                if (penDown) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    penDown = true;
                }
            }
            g.draw(path);
            if (usableCount <= MARKER_MAX_POINTS) {
                for (int i = 0; i < s.x.length; i++) {
                    if (usable(s.x[i], s.y[i])) {
                        int px = (int) Math.round(left + xAxis.fraction(s.x[i]) * plotW);
                        int py = (int) Math.round(bottom - yAxis.fraction(s.y[i]) * plotH);
                        g.fillOval(px - 3, py - 3, 7, 7);
                    }
                }
            }
        }
        g.setClip(null);

        // Legend, top-right inside the plot.
        if (!series.isEmpty()) {
            g.setFont(tickFont);
            int lineH = tfm.getHeight() + 2;
            int textW = 0;
            for (Series s : series) {
                textW = Math.max(textW, tfm.stringWidth(s.name));
            }
            int boxW = 10 + 24 + 6 + textW + 10;
            int boxH = 8 + lineH * series.size() + 4;
            int bx = right - boxW - 10;
            int by = top + 10;
            g.setColor(new Color(255, 255, 255, 225));
            g.fillRect(bx, by, boxW, boxH);
            g.setColor(Color.GRAY);
            g.setStroke(thin);
            g.drawRect(bx, by, boxW, boxH);
            for (int si = 0; si < series.size(); si++) {
                int cy = by + 6 + lineH * si + lineH / 2;
                g.setColor(PALETTE[si % PALETTE.length]);
                g.setStroke(new BasicStroke(2.5f));
                g.drawLine(bx + 10, cy, bx + 34, cy);
                g.setColor(Color.BLACK);
                g.drawString(series.get(si).name, bx + 40, cy + tfm.getAscent() / 2 - 1);
            }
        }
    }

    /** Axis range and ticks; {@code fraction} maps a data value to 0..1 along the axis. */
    private static final class Axis {
        final double lo;
        final double hi;
        final boolean log;
        final double[] ticks;
        final double step;

        private Axis(double lo, double hi, boolean log, double[] ticks, double step) {
            this.lo = lo;
            this.hi = hi;
            this.log = log;
            this.ticks = ticks;
            this.step = step;
        }

        static Axis linear(double min, double max) {
            if (min == max) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double step = niceStep((max - min) / TARGET_TICKS);
            double lo = Math.floor(min / step) * step;
            double hi = Math.ceil(max / step) * step;
            int n = (int) Math.round((hi - lo) / step) + 1;
            double[] ticks = new double[n];
            for (int i = 0; i < n; i++) {
                ticks[i] = lo + i * step;
            }
            return new Axis(lo, hi, false, ticks, step);
        }

        /** Decade ticks when the data span at least one decade, otherwise nice linear ticks on a log scale. */
        static Axis log(double min, double max) {
            double lmin = Math.log10(min);
            double lmax = Math.log10(max);
            double dlo = Math.floor(lmin);
            double dhi = Math.ceil(lmax);
            if (dhi == dlo) {
                dhi = dlo + 1;
            }
            if (dhi - dlo >= 2) {
                int every = (int) Math.ceil((dhi - dlo) / 8);
                List<Double> ticks = new ArrayList<>();
                for (double d = dlo; d <= dhi + 1e-9; d += every) {
                    ticks.add(Math.pow(10, d));
                }
                return new Axis(dlo, dhi, true, ticks.stream().mapToDouble(Double::doubleValue).toArray(), 0);
            }
            // Narrow range: linear nice ticks inside [min, max], positioned logarithmically.
            double step = niceStep((max - min) / 4);
            double lo = Math.floor(min / step) * step;
            double hi = Math.ceil(max / step) * step;
            if (lo <= 0) {
                lo = min;
            }
            List<Double> ticks = new ArrayList<>();
            for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
                if (t > 0) {
                    ticks.add(t);
                }
            }
            return new Axis(Math.log10(lo), Math.log10(hi), true,
                    ticks.stream().mapToDouble(Double::doubleValue).toArray(), step);
        }

        double fraction(double v) {
            double t = log ? Math.log10(v) : v;
            return (t - lo) / (hi - lo);
        }

        String format(double v) {
            if (log && step == 0) {
                int e = (int) Math.round(Math.log10(v));
                return e >= -3 && e <= 4 ? plain(v, Math.max(0, -e)) : "1e" + e;
            }
            double mag = 0;
            for (double t : ticks) {
                mag = Math.max(mag, Math.abs(t));
            }
            if (mag >= 1e6 || (step > 0 && step < 1e-4)) {
                return String.format(Locale.ROOT, "%.3g", v);
            }
            int decimals = step > 0 ? Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)) : 0;
            if (step > 0 && Math.abs(step / Math.pow(10, -decimals) - Math.round(step / Math.pow(10, -decimals)))
                    > 1e-6) {
                decimals++;
            }
            return plain(v, decimals);
        }

        private static String plain(double v, int decimals) {
            if (Math.abs(v) < 1e-12) {
                v = 0;
            }
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }

        static double niceStep(double raw) {
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double r = raw / mag;
            double nice = r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10;
            return nice * mag;
        }
    }
}
