package io.github.dl4jcinn.layers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuThreadsTest {

    private final int before = Nd4j.getEnvironment().maxMasterThreads();
    private final int pool = Nd4j.getEnvironment().maxThreads();

    @AfterEach
    void restore() {
        System.clearProperty(CpuThreads.PROPERTY);
        CpuThreads.apply(before);
    }

    @Test
    void systemPropertyOverridesEverythingAndIsAppliedToNd4jAndBlas() {
        System.setProperty(CpuThreads.PROPERTY, "1");
        assertThat(CpuThreads.chosen()).isEqualTo(1);
        assertThat(CpuThreads.applyChosen()).isEqualTo(1);
        assertThat(Nd4j.getEnvironment().maxMasterThreads()).isEqualTo(1);
        assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(1);
    }

    @Test
    void cannotRaiseAboveThePoolNd4jStartedWithAndSaysSo() {
        assertThat(CpuThreads.apply(pool + 3)).isEqualTo(pool);
        assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(pool);
    }

    @Test
    void withoutOverrideUsesOmpNumThreadsOrTheProcessors() {
        String env = System.getenv("OMP_NUM_THREADS");
        int expected = env != null && env.matches("[1-9][0-9]*") ? Integer.parseInt(env)
                : Runtime.getRuntime().availableProcessors();
        assertThat(CpuThreads.chosen()).isEqualTo(expected);
    }

    @Test
    void invalidValuesAreIgnoredOrRejected() {
        System.setProperty(CpuThreads.PROPERTY, "zero");
        assertThat(CpuThreads.chosen()).isPositive();
        assertThatThrownBy(() -> CpuThreads.apply(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
