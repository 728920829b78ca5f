package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Ablation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Candidate names from templates, and configuration fingerprints. */
class CandidateNamesTest {

    @Test
    void numbersInNamesAreShort() {
        assertThat(CinnParameterSpace.format(1e-4)).isEqualTo("1e-4");
        assertThat(CinnParameterSpace.format(0.01)).isEqualTo("1e-2");
        assertThat(CinnParameterSpace.format(Math.pow(10, -3))).isEqualTo("1e-3");
        assertThat(CinnParameterSpace.format(2.5e-3)).isEqualTo("2.50e-3");
        assertThat(CinnParameterSpace.format(1.9)).isEqualTo("1.9");
        assertThat(CinnParameterSpace.format(0.0)).isEqualTo("0");
        assertThat(CinnParameterSpace.format(3)).isEqualTo("3");
    }

    @Test
    void templatesUseResolvedValuesAndAblationLabels() {
        CinnParameterSpace s = CinnParameterSpace.builder().ablation(Ablation.NO_HAAR)
                .nameTemplate("{ablation}: {downsampling}, lr={learningRate}").build();
        assertThat(s.getValue(new double[0]).getName()).isEqualTo("no Haar (checkerboard): checkerboard, lr=1e-3");
        CinnParameterSpace bad = CinnParameterSpace.builder().nameTemplate("{nope}").build();
        assertThatThrownBy(() -> bad.getValue(new double[0])).hasMessageContaining("{nope}");
    }

    @Test
    void fingerprintFollowsWhatIsTrained() {
        CinnCandidateConfig a = new CinnCandidateConfig();
        CinnCandidateConfig b = a.copy();
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        b.setAblation(Ablation.NO_NOISE);
        assertThat(b.fingerprint()).isNotEqualTo(a.fingerprint());
        b.setLearningRate(2e-3);
        assertThat(b.fingerprint()).isNotEqualTo(a.copy().fingerprint());
    }
}
