package io.github.dl4jcinn.zoo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabeledImagesTest {

    @Test
    void accessorsAndSubset() {
        LabeledImages data = new LabeledImages(IdxTestFiles.pixels(5, 2, 3), new int[] {3, 1, 4, 1, 5}, 2, 3);
        assertThat(data.count()).isEqualTo(5);
        assertThat(data.pixelsPerImage()).isEqualTo(6);
        assertThat(data.pixel(4, 0, 0)).isEqualTo(4);
        assertThat(data.pixel(4, 1, 2)).isEqualTo((4 * 31 + 5) % 256);
        assertThat(data.maxLabelPlusOne()).isEqualTo(6);

        LabeledImages two = data.first(2);
        assertThat(two.count()).isEqualTo(2);
        assertThat(two.labels()).containsExactly(3, 1);
        assertThat(two.pixels()).hasSize(12);
        assertThat(data.first(99)).isSameAs(data);
    }

    @Test
    void rejectsInconsistentSizes() {
        assertThatThrownBy(() -> new LabeledImages(new byte[10], new int[2], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 bytes but 2 labels x 2x3 needs 12");
        assertThatThrownBy(() -> LabeledImages.of(new IdxImages(2, 1, 1, new byte[2]), new int[3]))
                .hasMessageContaining("2 images but 3 labels");
    }
}
