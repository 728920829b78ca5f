package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Ablation;
import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Architecture;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.zoo.conditioning.ConditioningMode;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweeps of the {@code cinn ablate} command.
 *
 * <ul>
 *   <li>{@code paper-fig10}: the guided-generation paper's training-improvement ablation (Sec. 3.4, 4.4, Fig. 10) at
 *       Adam learning rate 1e-3: the full model and each of {no clamping, no Haar (checkerboard), no noise, no
 *       permutations, no special init}, on MNIST with the small multi-scale model of {@link CinnModels} (the paper's
 *       MNIST model has no downsampling, so "no Haar" needs a multi-scale one; {@code --architecture fc} runs the FC
 *       paper model without the Haar ablation).</li>
 *   <li>{@code conditioning}: the supplement's conditioning-network ablation, none / fixed / jointly trained, on
 *       colorization (the zoo's colorization cINN on photo tiles, {@link ColorTileDataSource}); with a DIGITS base
 *       configuration the same on MNIST, where the network embeds the one-hot label (see {@link CinnModels}).</li>
 *   <li>{@code lr-depth}: learning rate {1e-4, 1e-3, 1e-2} x coupling blocks per level {1, 2, 4}.</li>
 *   <li>{@code random}: random search over every hyperparameter of {@link CinnParameterSpace}.</li>
 *   <li>{@code smoke}: three tiny FC candidates on generated data, one of them built to diverge (learning rate 5,
 *       no clamping, plain init): checks the machinery in seconds.</li>
 * </ul>
 */
public final class Presets {

    public static final List<String> NAMES = List.of("paper-fig10", "conditioning", "lr-depth", "random", "smoke");

    private Presets() {}

    /** The default base configuration of a preset (what the command's model options modify). */
    public static CinnCandidateConfig base(String preset) {
        CinnCandidateConfig c = new CinnCandidateConfig();
        c.setArchitecture(Architecture.MULTISCALE);
        c.setBlocks(2);
        c.setFcBlocks(2);
        c.setConvWidth(32);
        c.setFcWidth(128);
        c.setSubnetDepth(1);
        c.setLearningRate(1e-3);
        c.setBatchSize(64);
        if (normalize(preset).equals("conditioning")) {
            c.setTask(CinnCandidateConfig.Task.COLORIZATION);
            c.setColorModel("tiny");
            c.setBatchSize(16);
            c.setNoiseSigma(0.05); // the paper's colorization noise, on standardised a, b
        }
        if (normalize(preset).equals("smoke")) {
            c.setArchitecture(Architecture.FC);
            c.setBlocks(2);
            c.setFcWidth(16);
            c.setBatchSize(32);
        }
        return c;
    }

    /** The preset {@code name} around {@code base} (the full model; ablations and grids vary it). */
    public static Preset create(String name, CinnCandidateConfig base, int randomCandidates) {
        CinnCandidateConfig b = base.copy().validate();
        switch (normalize(name)) {
            case "paper-fig10":
                return fig10(b);
            case "conditioning":
                return conditioning(b);
            case "lr-depth":
                return lrDepth(b);
            case "random":
                return random(b, randomCandidates);
            case "smoke":
                return smoke(b);
            default:
                throw new IllegalArgumentException("unknown preset '" + name + "'; use one of " + NAMES);
        }
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("fig10") ? "paper-fig10" : n;
    }

    private static Preset fig10(CinnCandidateConfig b) {
        List<Ablation> ablations = new ArrayList<>(Arrays.asList(Ablation.values()));
        if (b.getArchitecture() == Architecture.FC) {
            ablations.remove(Ablation.NO_HAAR); // the FC model has no downsampling to ablate
        }
        CinnParameterSpace space = CinnParameterSpace.builder().defaults(b)
                .ablation(ablations.toArray(new Ablation[0])).nameTemplate("{ablation}").build();
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put(Ablation.NONE.label(), "stable; converges every time (Sec. 3.4)");
        claims.put(Ablation.NO_CLAMP.label(), "strictly necessary for stable training at lr 1e-3");
        claims.put(Ablation.NO_HAAR.label(), "strictly necessary for stable training at lr 1e-3");
        claims.put(Ablation.NO_NOISE.label(), "one of the largest improvements of the final result; "
                + "more pronounced on MNIST (large black areas)");
        claims.put(Ablation.NO_PERMUTATION.label(), "one of the largest improvements of the final result");
        claims.put(Ablation.NO_INIT.label(), "final result only slightly better, but converges noticeably faster");
        return new Preset("paper-fig10", "Training-improvement ablation of the guided-generation paper (Sec. 3.4, "
                + "4.4, Fig. 10): the full model and the same model without one improvement each, at Adam learning "
                + "rate " + b.getLearningRate() + ", every candidate trained for the same number of iterations.",
                space, true, ablations.size(), 2, DigitDataSource.class, "mnist", 10000, 1000, Ablation.NONE.label(),
                claims);
    }

    private static Preset conditioning(CinnCandidateConfig b) {
        CinnParameterSpace space = CinnParameterSpace.builder().defaults(b)
                .conditioning(ConditioningMode.NONE, ConditioningMode.FIXED, ConditioningMode.JOINT)
                .nameTemplate("c.n. {conditioning}").build();
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("c.n. none", "ImageNet colorization (supplement): best-of-8 MSE 4.06, variance 41.1, FID 29.5; "
                + "colorizations ignore semantic content");
        claims.put("c.n. fixed", "3.37 / 58.0 / 32.4; lacks global coherence, exaggerated variance, artifacts");
        claims.put("c.n. joint", "3.53 / 35.2 / 25.1; joint training is critical");
        boolean color = b.getTask() == CinnCandidateConfig.Task.COLORIZATION;
        String what = color
                ? "on colorization with the zoo's colorization cINN (preset " + b.getColorModel() + ") on photo tiles; "
                + "'fixed' is the randomly initialised backbone held fixed (no pretrained colour network here), and "
                + "the score is the validation NLL of the standardised a, b, not the paper's MSE/variance/FID"
                : "on class-conditional digits, where the network embeds a one-hot label";
        return new Preset("conditioning", "Conditioning-network ablation (supplement Sec. 3): no conditioning "
                + "network / a fixed one / one trained jointly with the cINN, " + what + ". The paper's numbers "
                + "are for ImageNet colorization and are quoted for orientation only.",
                space, true, 3, 2, color ? ColorTileDataSource.class : DigitDataSource.class, "mnist", 6000, 1000,
                "c.n. joint", claims);
    }

    private static Preset lrDepth(CinnCandidateConfig b) {
        CinnParameterSpace space = CinnParameterSpace.builder().defaults(b)
                .learningRate(1e-4, 1e-3, 1e-2).blocks(1, 2, 4)
                .nameTemplate("lr={learningRate} blocks={blocks}").build();
        return new Preset("lr-depth", "Grid over the Adam learning rate and the number of coupling blocks ("
                + (b.getArchitecture() == Architecture.MULTISCALE ? "per resolution level of the multi-scale model"
                : "of the FC model") + ").", space, true, 9, 3, DigitDataSource.class, "mnist", 6000, 1000, null,
                Map.of());
    }

    private static Preset random(CinnCandidateConfig b, int n) {
        CinnParameterSpace space = CinnParameterSpace.builder().defaults(b)
                .blocks(new IntegerParameterSpace(1, 3)).fcBlocks(1, 2, 4)
                .fcWidth(64, 128, 256).subnetDepth(1, 2)
                .clamp(Clamp.ATAN, Clamp.NONE).clampAlpha(1.0, 1.9, 3.0)
                .downsampling(CinnCandidateConfig.Downsampling.values()).permutations(true, false)
                .noiseSigma(0, 0.01, 0.02, 0.05).init(CinnCandidateConfig.Init.values())
                .learningRateLogRange(1e-4, 3e-3).batchSize(32, 64, 128)
                .nameTemplate("random").build();
        return new Preset("random", "Random search over every hyperparameter of the space (" + space + ").",
                space, false, Math.max(1, n), 3, DigitDataSource.class, "mnist", 6000, 1000, null, Map.of());
    }

    private static Preset smoke(CinnCandidateConfig b) {
        CinnCandidateConfig full = b.copy();
        full.setName("full");
        CinnCandidateConfig noPerm = b.copy();
        noPerm.setName("no permutations");
        noPerm.setAblation(Ablation.NO_PERMUTATION);
        CinnCandidateConfig diverging = b.copy();
        diverging.setName("diverging (lr 5, no clamp, plain init)");
        diverging.setLearningRate(5);
        diverging.setClamp(Clamp.NONE);
        diverging.setInit(CinnCandidateConfig.Init.XAVIER);
        return new Preset("smoke", "Three tiny candidates on generated data, one built to diverge: checks that "
                + "training, scoring, failure handling, persistence and reporting work.",
                new CandidateListSpace(List.of(full, noPerm, diverging)), true, 3, 2, DigitDataSource.class, "synthetic",
                512, 128,
                "full", Map.of());
    }
}
