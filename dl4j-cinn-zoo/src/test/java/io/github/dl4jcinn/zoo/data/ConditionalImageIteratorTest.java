package io.github.dl4jcinn.zoo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class ConditionalImageIteratorTest {

    private static final int COUNT = 23;
    private static final int ROWS = 4;
    private static final int COLS = 5;

    /** Non-square images so a rows/cols mix-up shows; pixel (0,0) of example i is i. */
    private final LabeledImages data =
            new LabeledImages(IdxTestFiles.pixels(COUNT, ROWS, COLS), IdxTestFiles.labels(COUNT), ROWS, COLS);

    /** The example index of each row in the batch, read back from pixel (0,0). */
    private static List<Integer> ids(MultiDataSet mds, float divisor) {
        INDArray x = mds.getFeatures(0);
        List<Integer> ids = new ArrayList<>();
        for (int j = 0; j < x.size(0); j++) {
            ids.add(Math.round(x.getFloat(j, 0, 0, 0) * divisor));
        }
        return ids;
    }

    private static List<Integer> epochOrder(ConditionalImageIterator it) {
        List<Integer> order = new ArrayList<>();
        while (it.hasNext()) {
            order.addAll(ids(it.next(), 255f));
        }
        return order;
    }

    @Test
    void batchesHaveImageConditionAndDummyLabelShapes() {
        ConditionalImageIterator it = ConditionalImageIterator.builder(data).batchSize(8).build();
        List<Long> sizes = new ArrayList<>();
        while (it.hasNext()) {
            MultiDataSet mds = it.next();
            long n = mds.getFeatures(0).size(0);
            sizes.add(n);
            assertThat(mds.numFeatureArrays()).isEqualTo(2);
            assertThat(mds.numLabelsArrays()).isEqualTo(1);
            assertThat(mds.getFeatures(0).shape()).containsExactly(n, 1, ROWS, COLS);
            assertThat(mds.getFeatures(0).dataType()).isEqualTo(DataType.FLOAT);
            assertThat(mds.getFeatures(1).shape()).containsExactly(n, 10);
            assertThat(mds.getLabels(0).shape()).containsExactly(n, 1);
            assertThat(mds.getLabels(0).sumNumber().doubleValue()).isZero();
        }
        assertThat(sizes).containsExactly(8L, 8L, 7L);
        assertThat(it.batchesPerEpoch()).isEqualTo(3);
    }

    @Test
    void pixelsAreScaledAndOneHotMatchesLabels() {
        ConditionalImageIterator it = ConditionalImageIterator.builder(data).batchSize(COUNT).build();
        MultiDataSet mds = it.next();
        INDArray x = mds.getFeatures(0);
        INDArray c = mds.getFeatures(1);
        for (int i = 0; i < COUNT; i++) {
            for (int r = 0; r < ROWS; r++) {
                for (int col = 0; col < COLS; col++) {
                    assertThat(x.getFloat(i, 0, r, col)).isCloseTo(data.pixel(i, r, col) / 255f, within(1e-7f));
                }
            }
            for (int k = 0; k < 10; k++) {
                assertThat(c.getFloat(i, k)).isEqualTo(k == data.label(i) ? 1f : 0f);
            }
        }
        assertThat(x.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
    }

    @Test
    void pixelDivisorChangesTheScaling() {
        byte[] px = {(byte) 255, 0, (byte) 128, 1};
        LabeledImages one = new LabeledImages(px, new int[] {3}, 2, 2);
        INDArray x = ConditionalImageIterator.builder(one).pixelDivisor(256).build().next().getFeatures(0);
        assertThat(x.getFloat(0, 0, 0, 0)).isEqualTo(255f / 256f);
        assertThat(x.getFloat(0, 0, 1, 0)).isEqualTo(0.5f);
    }

    @Test
    void unshuffledEpochIsInFileOrder() {
        ConditionalImageIterator it = ConditionalImageIterator.builder(data).batchSize(5).build();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            expected.add(i);
        }
        assertThat(epochOrder(it)).isEqualTo(expected);
        it.reset();
        assertThat(epochOrder(it)).isEqualTo(expected);
    }

    @Test
    void shuffledEpochsCoverEveryExampleOnceAndAreReproducible() {
        ConditionalImageIterator a = ConditionalImageIterator.builder(data).batchSize(6).shuffle(42).build();
        ConditionalImageIterator b = ConditionalImageIterator.builder(data).batchSize(6).shuffle(42).build();
        ConditionalImageIterator other = ConditionalImageIterator.builder(data).batchSize(6).shuffle(43).build();

        List<Integer> a0 = epochOrder(a);
        assertThat(a0).hasSize(COUNT).doesNotHaveDuplicates();
        assertThat(a0).containsExactlyInAnyOrderElementsOf(epochOrderOfIdentity());
        assertThat(epochOrder(b)).isEqualTo(a0);
        assertThat(epochOrder(other)).isNotEqualTo(a0);
        assertThat(a0).isNotEqualTo(epochOrderOfIdentity());

        a.reset();
        b.reset();
        assertThat(a.epoch()).isEqualTo(1);
        List<Integer> a1 = epochOrder(a);
        assertThat(a1).containsExactlyInAnyOrderElementsOf(a0).isNotEqualTo(a0);
        assertThat(epochOrder(b)).isEqualTo(a1);
    }

    @Test
    void resetBeforeAnyBatchKeepsTheEpoch() {
        ConditionalImageIterator a = ConditionalImageIterator.builder(data).shuffle(7).build();
        ConditionalImageIterator b = ConditionalImageIterator.builder(data).shuffle(7).build();
        a.reset();
        a.reset();
        assertThat(a.epoch()).isZero();
        assertThat(epochOrder(a)).isEqualTo(epochOrder(b));
    }

    @Test
    void dropLastSkipsTheShortBatch() {
        ConditionalImageIterator it =
                ConditionalImageIterator.builder(data).batchSize(8).dropLast(true).shuffle(1).build();
        List<Integer> seen = epochOrder(it);
        assertThat(seen).hasSize(16).doesNotHaveDuplicates();
        assertThat(it.batchesPerEpoch()).isEqualTo(2);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("reset()");
    }

    @Test
    void nextWithExplicitSizeAndExhaustion() {
        ConditionalImageIterator it = ConditionalImageIterator.builder(data).batchSize(8).build();
        assertThat(it.next(20).getFeatures(0).size(0)).isEqualTo(20);
        assertThat(it.next(20).getFeatures(0).size(0)).isEqualTo(3);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void preProcessorIsAppliedToEveryBatch() {
        ConditionalImageIterator it = ConditionalImageIterator.builder(data).batchSize(10)
                .preProcessor(mds -> mds.setFeatures(0, mds.getFeatures(0).mul(0))).build();
        while (it.hasNext()) {
            assertThat(it.next().getFeatures(0).sumNumber().doubleValue()).isZero();
        }
        it.reset();
        it.setPreProcessor(null);
        assertThat(it.getPreProcessor()).isNull();
        assertThat(it.next().getFeatures(0).sumNumber().doubleValue()).isPositive();
    }

    @Test
    void metadata() {
        ConditionalImageIterator it = ConditionalImageIterator.builder(data).batchSize(4).numClasses(12).build();
        assertThat(it.totalOutcomes()).isEqualTo(12);
        assertThat(it.inputColumns()).isEqualTo(ROWS * COLS);
        assertThat(it.totalExamples()).isEqualTo(COUNT);
        assertThat(it.batch()).isEqualTo(4);
        assertThat(it.resetSupported()).isTrue();
        assertThat(it.asyncSupported()).isFalse();
        assertThat(it.next().getFeatures(1).shape()).containsExactly(4, 12);
    }

    @Test
    void labelsOutsideTheConditionAreRejected() {
        assertThatThrownBy(() -> ConditionalImageIterator.builder(data).numClasses(5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 7 of example 1 is outside 0..4");
    }

    private static List<Integer> epochOrderOfIdentity() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            ids.add(i);
        }
        return ids;
    }
}
