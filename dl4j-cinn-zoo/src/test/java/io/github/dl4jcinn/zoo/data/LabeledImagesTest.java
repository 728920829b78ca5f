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

    @Test
    void shiftedLabelsPairEveryImageWithTheNextClass() {
        LabeledImages data = new LabeledImages(IdxTestFiles.pixels(4, 2, 3), new int[] {0, 9, 4, 9}, 2, 3);
        LabeledImages wrong = data.withShiftedLabels(10);
        assertThat(wrong.labels()).containsExactly(1, 0, 5, 0);
        assertThat(wrong.pixels()).isSameAs(data.pixels());
        assertThat(data.labels()).containsExactly(0, 9, 4, 9); // unchanged
        assertThatThrownBy(() -> data.withShiftedLabels(5)).hasMessageContaining("label 9 of image 1");
        assertThatThrownBy(() -> data.withShiftedLabels(1)).hasMessageContaining("at least 2 classes");
    }
}
