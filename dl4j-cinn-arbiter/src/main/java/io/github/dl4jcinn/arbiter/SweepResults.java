package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.zoo.report.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The persistent record of a sweep: {@value #CSV} (one row per finished candidate: configuration, final score,
 * status, time) and {@code candidates/<index>-<name>/result.json} (the same plus the curves). Both are rewritten
 * atomically after every candidate, so an interrupted sweep keeps everything that finished, and a resumed sweep
 * skips candidates whose key is already in the CSV (completed <em>or</em> failed: a diverged candidate stays
 * diverged).
 *
 * <p>One instance per directory per JVM ({@link #forDirectory}), shared by the task creator and the command.
 */
public final class SweepResults {

    public static final String CSV = "results.csv";
    public static final String CANDIDATES = "candidates";
    public static final String RESULT_JSON = "result.json";

    private static final Logger LOG = LoggerFactory.getLogger(SweepResults.class);
    private static final Map<Path, SweepResults> OPEN = new ConcurrentHashMap<>();
    private static final SweepResults IN_MEMORY = new SweepResults(null);

    static final String[] FIXED_COLUMNS = {"index", "name", "status", "val_bits_per_dim", "best_val_bits_per_dim",
            "final_train_bits_per_dim", "iterations", "seconds", "seconds_per_iteration", "max_spike_bits",
            "parameters", "reason", "key"};

    private final Path dir;
    private final Map<String, CandidateResult> byKey = new LinkedHashMap<>();

    private SweepResults(Path dir) {
        this.dir = dir;
    }

    /** The results of {@code dir} (loaded from its CSV if there is one); {@code null}: an in-memory store. */
    public static SweepResults forDirectory(Path dir) {
        if (dir == null) {
            return IN_MEMORY;
        }
        return OPEN.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            SweepResults r = new SweepResults(d);
            r.load();
            return r;
        });
    }

    /** Forgets the cached instance of {@code dir} (tests; a new sweep in a cleaned directory). */
    public static void close(Path dir) {
        if (dir != null) {
            OPEN.remove(dir.toAbsolutePath().normalize());
        }
    }

    public Path directory() {
        return dir;
    }

    public synchronized Optional<CandidateResult> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** All recorded candidates, by index. */
    public synchronized List<CandidateResult> all() {
        List<CandidateResult> l = new ArrayList<>(byKey.values());
        l.sort(Comparator.comparingInt(r -> r.index));
        return l;
    }

    /** Adds (or replaces) a candidate and rewrites the files. */
    public synchronized void record(CandidateResult r) {
        byKey.put(r.key, r);
        if (dir == null) {
            return;
        }
        try {
            Path cdir = candidateDirectory(r);
            Files.createDirectories(cdir);
            writeAtomically(cdir.resolve(RESULT_JSON), Json.write(r));
            writeAtomically(dir.resolve(CSV), csv(all()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the results of candidate " + r.index + " to " + dir, e);
        }
    }

    /** {@code candidates/<index>-<name as a file name>}. */
    public Path candidateDirectory(CandidateResult r) {
        return dir.resolve(CANDIDATES).resolve(String.format(Locale.ROOT, "%03d-%s", r.index, slug(r.name)));
    }

    static String slug(String name) {
        String s = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.=-]+", "-")
                .replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "candidate" : s.length() > 60 ? s.substring(0, 60) : s;
    }

    // ---- CSV ----

    static String csv(List<CandidateResult> rows) {
        List<String> configColumns = new ArrayList<>(new CinnCandidateConfig().toMap().keySet());
        configColumns.remove("name");
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of(FIXED_COLUMNS));
        header.addAll(configColumns);
        sb.append(line(header));
        for (CandidateResult r : rows) {
            List<String> v = new ArrayList<>();
            v.add(Integer.toString(r.index));
            v.add(r.name);
            v.add(String.valueOf(r.status));
            v.add(num(r.score));
            v.add(num(r.bestValidation));
            v.add(num(r.finalTrainBitsPerDim));
            v.add(Integer.toString(r.iterations));
            v.add(String.format(Locale.ROOT, "%.1f", r.seconds));
            v.add(num(r.secondsPerIteration));
            v.add(num(r.maxSpike));
            v.add(Long.toString(r.parameters));
            v.add(r.reason == null ? "" : r.reason);
            v.add(r.key);
            Map<String, Object> cfg = r.config == null ? Map.of() : r.config.resolved().toMap(); // as trained
            for (String c : configColumns) {
                Object o = cfg.get(c);
                v.add(o == null ? "" : String.valueOf(o));
            }
            sb.append(line(v));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.5f", v) : Double.isNaN(v) ? "" : String.valueOf(v);
    }

    private static String line(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(quote(values.get(i)));
        }
        return sb.append('\n').toString();
    }

    static String quote(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        if (one.contains(",") || one.contains("\"")) {
            return '"' + one.replace("\"", "\"\"") + '"';
        }
        return one;
    }

    /** Parses RFC 4180 CSV (quoted fields, doubled quotes; no line breaks inside fields, as written here). */
    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.isBlank()) continue;
            List<String> f = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < l.length(); i++) {
                char ch = l.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < l.length() && l.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cur.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    f.add(cur.toString());
                    cur.setLength(0);
                } else if (ch != '\r') {
                    cur.append(ch);
                }
            }
            f.add(cur.toString());
            rows.add(f);
        }
        return rows;
    }

    private void load() {
        Path csv = dir.resolve(CSV);
        if (!Files.isRegularFile(csv)) {
            return;
        }
        try {
            List<List<String>> rows = parse(Files.readString(csv, StandardCharsets.UTF_8));
            if (rows.isEmpty()) return;
            List<String> header = rows.get(0);
            for (List<String> row : rows.subList(1, rows.size())) {
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < row.size(); i++) m.put(header.get(i), row.get(i));
                CandidateResult r = fromRow(m);
                Path json = candidateDirectory(r).resolve(RESULT_JSON);
                if (Files.isRegularFile(json)) {
                    try {
                        r = Json.read(Files.readString(json, StandardCharsets.UTF_8), CandidateResult.class);
                    } catch (IOException e) {
                        LOG.warn("Could not read {} ({}); using the CSV row only", json, e.getMessage());
                    }
                }
                byKey.put(r.key, r);
            }
            LOG.info("Loaded {} finished candidate(s) from {}", byKey.size(), csv);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the results of a previous sweep in " + csv + ": " + e
                    + " (move the directory away or use a new --out)", e);
        }
    }

    private static CandidateResult fromRow(Map<String, String> m) {
        CandidateResult r = new CandidateResult();
        r.index = Integer.parseInt(m.get("index"));
        r.name = m.get("name");
        r.status = CandidateResult.Status.valueOf(m.get("status"));
        r.score = dbl(m.get("val_bits_per_dim"));
        r.bestValidation = dbl(m.get("best_val_bits_per_dim"));
        r.finalTrainBitsPerDim = dbl(m.get("final_train_bits_per_dim"));
        r.iterations = Integer.parseInt(m.getOrDefault("iterations", "0"));
        r.seconds = dbl(m.get("seconds"));
        r.secondsPerIteration = dbl(m.get("seconds_per_iteration"));
        r.maxSpike = dbl(m.get("max_spike_bits"));
        r.parameters = Long.parseLong(m.getOrDefault("parameters", "0"));
        r.reason = m.getOrDefault("reason", "");
        r.key = m.get("key");
        return r;
    }

    private static double dbl(String s) {
        return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
