package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Ablation;
import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Architecture;
import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Downsampling;
import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Init;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.zoo.conditioning.ConditioningMode;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.TaskCreatorProvider;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.serde.jackson.JsonMapper;
import org.deeplearning4j.arbiter.util.LeafUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Arbiter {@link ParameterSpace} over cINN configurations ({@link CinnCandidateConfig}): every hyperparameter is
 * a nested Arbiter space (fixed value, discrete set, continuous or integer range), so the space works with Arbiter's
 * {@code RandomSearchGenerator} and {@code GridSearchCandidateGenerator} and serialises to JSON/YAML with Arbiter's
 * own mapper ({@link #toJson()}, {@link #fromJson(String)}), like Arbiter's DL4J spaces.
 *
 * <pre>{@code
 * CinnParameterSpace space = CinnParameterSpace.builder()
 *         .architecture(Architecture.MULTISCALE)
 *         .ablation(Ablation.values())                      // grid: the full model and each ablation
 *         .learningRate(new ContinuousParameterSpace(new LogUniformDistribution(1e-4, 1e-2)))
 *         .build();
 * CandidateGenerator grid = new GridSearchCandidateGenerator(space, 3, GridSearchCandidateGenerator.Mode.Sequential, null);
 * }</pre>
 *
 * <p>Enumerations (architecture, clamp, downsampling, init, conditioning, ablation) are stored as their names
 * ({@code DiscreteParameterSpace<String>}): Arbiter's discrete space keeps its values in an untyped list, which JSON
 * would turn back into strings anyway. Single values are stored as {@link FixedValue}, never as a one-element discrete
 * space: Arbiter 1.0.0-beta7's grid search gives a one-value leaf no coordinate while its index still counts, which
 * shifts every later leaf (and a {@code BooleanSpace} is discretised into {@code discretizationCount} values, so
 * booleans use a two-value discrete space here).
 *
 * <p>Candidate names come from {@link Builder#nameTemplate(String)}: {@code {key}} is replaced by the resolved value
 * of that field ({@link CinnCandidateConfig#toMap()} keys), {@code {ablation}} by the ablation's label.
 */
public class CinnParameterSpace extends AbstractParameterSpace<CinnCandidateConfig> {

    static {
        // lets LocalOptimizationRunner find the task creator when none is given
        TaskCreatorProvider.registerDefaultTaskCreatorClass(CinnParameterSpace.class, CinnTaskCreator.class);
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9]+)}");

    // Field order = leaf order = coordinate order of the generators: keep it stable (saved searches depend on it).
    private ParameterSpace<String> ablation;
    private ParameterSpace<String> task;
    private ParameterSpace<String> colorModel;
    private ParameterSpace<String> architecture;
    private ParameterSpace<Integer> blocks;
    private ParameterSpace<Integer> fcBlocks;
    private ParameterSpace<Boolean> convSubnets;
    private ParameterSpace<Integer> convWidth;
    private ParameterSpace<Integer> fcWidth;
    private ParameterSpace<Integer> subnetDepth;
    private ParameterSpace<String> clamp;
    private ParameterSpace<Double> clampAlpha;
    private ParameterSpace<String> downsampling;
    private ParameterSpace<Boolean> permutations;
    private ParameterSpace<Double> noiseSigma;
    private ParameterSpace<String> init;
    private ParameterSpace<Double> learningRate;
    private ParameterSpace<Integer> batchSize;
    private ParameterSpace<String> conditioning;
    private ParameterSpace<Integer> conditionWidth;
    private ParameterSpace<Double> l2;
    private ParameterSpace<Long> seed;
    private String nameTemplate;

    /** For JSON. */
    protected CinnParameterSpace() {}

    private CinnParameterSpace(Builder b) {
        CinnCandidateConfig d = b.defaults;
        ablation = or(b.ablation, d.getAblation().name());
        task = or(b.task, d.getTask().name());
        colorModel = or(b.colorModel, d.getColorModel());
        architecture = or(b.architecture, d.getArchitecture().name());
        blocks = or(b.blocks, d.getBlocks());
        fcBlocks = or(b.fcBlocks, d.getFcBlocks());
        convSubnets = or(b.convSubnets, d.isConvSubnets());
        convWidth = or(b.convWidth, d.getConvWidth());
        fcWidth = or(b.fcWidth, d.getFcWidth());
        subnetDepth = or(b.subnetDepth, d.getSubnetDepth());
        clamp = or(b.clamp, d.getClamp().name());
        clampAlpha = or(b.clampAlpha, d.getClampAlpha());
        downsampling = or(b.downsampling, d.getDownsampling().name());
        permutations = or(b.permutations, d.isPermutations());
        noiseSigma = or(b.noiseSigma, d.getNoiseSigma());
        init = or(b.init, d.getInit().name());
        learningRate = or(b.learningRate, d.getLearningRate());
        batchSize = or(b.batchSize, d.getBatchSize());
        conditioning = or(b.conditioning, d.getConditioning().name());
        conditionWidth = or(b.conditionWidth, d.getConditionWidth());
        l2 = or(b.l2, d.getL2());
        seed = or(b.seed, d.getSeed());
        nameTemplate = b.nameTemplate;
    }

    private static <T> ParameterSpace<T> or(ParameterSpace<T> space, T fallback) {
        return space != null ? space : new FixedValue<>(fallback);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- ParameterSpace ----

    @Override
    public CinnCandidateConfig getValue(double[] values) {
        CinnCandidateConfig c = new CinnCandidateConfig();
        c.setAblation(Ablation.valueOf(str(ablation, values)));
        c.setTask(CinnCandidateConfig.Task.valueOf(str(task, values)));
        c.setColorModel(String.valueOf(colorModel.getValue(values)));
        c.setArchitecture(Architecture.valueOf(str(architecture, values)));
        c.setBlocks(num(blocks, values).intValue());
        c.setFcBlocks(num(fcBlocks, values).intValue());
        c.setConvSubnets(Boolean.TRUE.equals(convSubnets.getValue(values)));
        c.setConvWidth(num(convWidth, values).intValue());
        c.setFcWidth(num(fcWidth, values).intValue());
        c.setSubnetDepth(num(subnetDepth, values).intValue());
        c.setClamp(Clamp.valueOf(str(clamp, values)));
        c.setClampAlpha(num(clampAlpha, values).doubleValue());
        c.setDownsampling(Downsampling.valueOf(str(downsampling, values)));
        c.setPermutations(Boolean.TRUE.equals(permutations.getValue(values)));
        c.setNoiseSigma(num(noiseSigma, values).doubleValue());
        c.setInit(Init.valueOf(str(init, values)));
        c.setLearningRate(num(learningRate, values).doubleValue());
        c.setBatchSize(num(batchSize, values).intValue());
        c.setConditioning(ConditioningMode.valueOf(str(conditioning, values)));
        c.setConditionWidth(num(conditionWidth, values).intValue());
        c.setL2(num(l2, values).doubleValue());
        c.setSeed(num(seed, values).longValue());
        c.setName(name(c));
        return c.validate();
    }

    /** Values of generic spaces may come back from JSON as any number type (e.g. a small Long as Integer). */
    private static Number num(ParameterSpace<?> space, double[] values) {
        Object v = space.getValue(values);
        if (!(v instanceof Number)) {
            throw new IllegalStateException("expected a number from " + space + ", got " + v);
        }
        return (Number) v;
    }

    private static String str(ParameterSpace<?> space, double[] values) {
        return String.valueOf(space.getValue(values)).toUpperCase(Locale.ROOT);
    }

    private String name(CinnCandidateConfig c) {
        if (nameTemplate == null || nameTemplate.isEmpty()) {
            return "";
        }
        Map<String, Object> fields = c.resolved().toMap();
        Matcher m = PLACEHOLDER.matcher(nameTemplate);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            Object v = fields.get(key);
            if (v == null) {
                throw new IllegalArgumentException("name template " + nameTemplate + ": unknown field {" + key + "}");
            }
            String text = key.equals("ablation") ? c.getAblation().label() : format(v);
            m.appendReplacement(sb, Matcher.quoteReplacement(text));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Names: small numbers as {@code 1e-3} (learning rates), others plain, four significant digits at most. */
    static String format(Object v) {
        if (v instanceof Double) {
            double d = (Double) v;
            if (d != 0 && Math.abs(d) < 0.1) {
                String one = String.format(Locale.ROOT, "%.0e", d);
                boolean exact = Math.abs(Double.parseDouble(one) - d) <= 1e-9 * Math.abs(d);
                String e = exact ? one : String.format(Locale.ROOT, "%.2e", d);
                return e.replaceAll("e([-+])0*(\\d)", "e$1$2").replace("e+", "e");
            }
            return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros()
                    .toPlainString();
        }
        return String.valueOf(v).toLowerCase(Locale.ROOT);
    }

    @Override
    public int numParameters() {
        return LeafUtils.countUniqueParameters(collectLeaves());
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace<?> p : getNestedSpaces().values()) {
            leaves.addAll(p.collectLeaves());
        }
        return leaves;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("CinnParameterSpace is not a leaf: indices are set on its leaves");
    }

    /** Number of distinct candidates of a grid over this space (continuous leaves counted as {@code discretization}). */
    public long gridSize(int discretization) {
        long n = 1;
        for (ParameterSpace<?> p : LeafUtils.getUniqueObjects(collectLeaves())) {
            if (p instanceof DiscreteParameterSpace) {
                n *= ((DiscreteParameterSpace<?>) p).numValues();
            } else if (p instanceof org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace) {
                org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace ip =
                        (org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace) p;
                n *= Math.min(ip.getMax() - ip.getMin() + 1, discretization);
            } else if (p.numParameters() > 0) {
                n *= discretization;
            }
        }
        return n;
    }

    public String getNameTemplate() {
        return nameTemplate;
    }

    // ---- JSON / YAML with Arbiter's mapper ----

    public String toJson() {
        try {
            return JsonMapper.getMapper().writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toYaml() {
        try {
            return JsonMapper.getYamlMapper().writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CinnParameterSpace fromJson(String json) {
        try {
            return JsonMapper.getMapper().readValue(json, CinnParameterSpace.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CinnParameterSpace fromYaml(String yaml) {
        try {
            return JsonMapper.getYamlMapper().readValue(yaml, CinnParameterSpace.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CinnParameterSpace && getNestedSpaces().equals(((CinnParameterSpace) o).getNestedSpaces())
                && Objects.equals(nameTemplate, ((CinnParameterSpace) o).nameTemplate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getNestedSpaces(), nameTemplate);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CinnParameterSpace(");
        String sep = "";
        for (Map.Entry<String, ParameterSpace> e : getNestedSpaces().entrySet()) {
            if (e.getValue() instanceof FixedValue) {
                continue;
            }
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        return sb.append(')').toString();
    }

    // ---- builder ----

    /**
     * Fluent construction. Each hyperparameter takes either values (one value: fixed; several: a discrete choice) or
     * any Arbiter space. Unset hyperparameters are fixed at {@link #defaults(CinnCandidateConfig) the defaults}
     * (those of {@link CinnCandidateConfig} unless given).
     */
    public static final class Builder {
        private CinnCandidateConfig defaults = new CinnCandidateConfig();
        private ParameterSpace<String> ablation;
        private ParameterSpace<String> task;
        private ParameterSpace<String> colorModel;
        private ParameterSpace<String> architecture;
        private ParameterSpace<Integer> blocks;
        private ParameterSpace<Integer> fcBlocks;
        private ParameterSpace<Boolean> convSubnets;
        private ParameterSpace<Integer> convWidth;
        private ParameterSpace<Integer> fcWidth;
        private ParameterSpace<Integer> subnetDepth;
        private ParameterSpace<String> clamp;
        private ParameterSpace<Double> clampAlpha;
        private ParameterSpace<String> downsampling;
        private ParameterSpace<Boolean> permutations;
        private ParameterSpace<Double> noiseSigma;
        private ParameterSpace<String> init;
        private ParameterSpace<Double> learningRate;
        private ParameterSpace<Integer> batchSize;
        private ParameterSpace<String> conditioning;
        private ParameterSpace<Integer> conditionWidth;
        private ParameterSpace<Double> l2;
        private ParameterSpace<Long> seed;
        private String nameTemplate;

        private Builder() {}

        /** Values of every hyperparameter not set explicitly. */
        public Builder defaults(CinnCandidateConfig defaults) {
            this.defaults = defaults.copy().validate();
            return this;
        }

        public Builder ablation(Ablation... v) { ablation = names(v); return this; }
        public Builder task(CinnCandidateConfig.Task... v) { task = names(v); return this; }
        public Builder colorModel(String... v) { colorModel = values(v); return this; }
        public Builder architecture(Architecture... v) { architecture = names(v); return this; }
        public Builder blocks(int... v) { blocks = ints(v); return this; }
        public Builder blocks(ParameterSpace<Integer> s) { blocks = s; return this; }
        public Builder fcBlocks(int... v) { fcBlocks = ints(v); return this; }
        public Builder fcBlocks(ParameterSpace<Integer> s) { fcBlocks = s; return this; }
        public Builder convSubnets(boolean... v) { convSubnets = booleans(v); return this; }
        public Builder convWidth(int... v) { convWidth = ints(v); return this; }
        public Builder convWidth(ParameterSpace<Integer> s) { convWidth = s; return this; }
        public Builder fcWidth(int... v) { fcWidth = ints(v); return this; }
        public Builder fcWidth(ParameterSpace<Integer> s) { fcWidth = s; return this; }
        public Builder subnetDepth(int... v) { subnetDepth = ints(v); return this; }
        public Builder subnetDepth(ParameterSpace<Integer> s) { subnetDepth = s; return this; }
        public Builder clamp(Clamp... v) { clamp = names(v); return this; }
        public Builder clampAlpha(double... v) { clampAlpha = doubles(v); return this; }
        public Builder clampAlpha(ParameterSpace<Double> s) { clampAlpha = s; return this; }
        public Builder downsampling(Downsampling... v) { downsampling = names(v); return this; }
        public Builder permutations(boolean... v) { permutations = booleans(v); return this; }
        public Builder noiseSigma(double... v) { noiseSigma = doubles(v); return this; }
        public Builder noiseSigma(ParameterSpace<Double> s) { noiseSigma = s; return this; }
        public Builder init(Init... v) { init = names(v); return this; }
        public Builder learningRate(double... v) { learningRate = doubles(v); return this; }
        public Builder learningRate(ParameterSpace<Double> s) { learningRate = s; return this; }

        /** Log-uniform learning rate in [min, max] (grid: log-spaced values). */
        public Builder learningRateLogRange(double min, double max) {
            learningRate = new ContinuousParameterSpace(new LogUniformDistribution(min, max));
            return this;
        }

        public Builder batchSize(int... v) { batchSize = ints(v); return this; }
        public Builder batchSize(ParameterSpace<Integer> s) { batchSize = s; return this; }
        public Builder conditioning(ConditioningMode... v) { conditioning = names(v); return this; }
        public Builder conditionWidth(int... v) { conditionWidth = ints(v); return this; }
        public Builder l2(double... v) { l2 = doubles(v); return this; }
        public Builder seed(long... v) {
            Long[] boxed = Arrays.stream(v).boxed().toArray(Long[]::new);
            seed = values(boxed);
            return this;
        }

        /** Candidate names, e.g. {@code "{ablation}"} or {@code "lr={learningRate} blocks={blocks}"}. */
        public Builder nameTemplate(String template) { nameTemplate = template; return this; }

        public CinnParameterSpace build() {
            return new CinnParameterSpace(this);
        }

        private static ParameterSpace<String> names(Enum<?>... v) {
            return values(Arrays.stream(v).map(Enum::name).toArray(String[]::new));
        }

        private static ParameterSpace<Integer> ints(int... v) {
            return values(Arrays.stream(v).boxed().toArray(Integer[]::new));
        }

        private static ParameterSpace<Double> doubles(double... v) {
            return values(Arrays.stream(v).boxed().toArray(Double[]::new));
        }

        private static ParameterSpace<Boolean> booleans(boolean... v) {
            Boolean[] b = new Boolean[v.length];
            for (int i = 0; i < v.length; i++) b[i] = v[i];
            return values(b);
        }

        /** One value: {@link FixedValue} (see the class comment); several: a discrete choice. */
        @SafeVarargs
        static <T> ParameterSpace<T> values(T... v) {
            if (v.length == 0) {
                throw new IllegalArgumentException("at least one value");
            }
            return v.length == 1 ? new FixedValue<>(v[0]) : new DiscreteParameterSpace<>(v);
        }
    }
}
