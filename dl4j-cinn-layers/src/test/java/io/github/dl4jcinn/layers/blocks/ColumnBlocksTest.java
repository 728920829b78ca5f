package io.github.dl4jcinn.layers.blocks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnBlocksTest {

    /** Element-by-element reference, independent of ND4J's indexing. */
    private static INDArray columnsByHand(INDArray m, int from, int to) {
        INDArray r = Nd4j.create(m.dataType(), m.size(0), to - from);
        for (int i = 0; i < m.size(0); i++) {
            for (int j = from; j < to; j++) {
                r.putScalar(i, j - from, m.getDouble(i, j));
            }
        }
        return r;
    }

    /** A [rows, cols] matrix whose data buffer starts {@code offset} elements into a larger buffer, as DL4J's
     *  parameter views do. */
    private static INDArray viewAtOffset(DataType dt, int rows, int cols, int offset) {
        INDArray flat = Nd4j.rand(dt, 1, offset + rows * cols + 7);
        DataBuffer sub = Nd4j.createBuffer(flat.data(), offset, (long) rows * cols);
        return Nd4j.create(sub, new long[]{rows, cols}, new long[]{cols, 1}, 0, 'c');
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void copyAndPutMoveExactlyTheColumnBlock(String type) {
        DataType dt = DataType.valueOf(type);
        INDArray m = Nd4j.rand(dt, 5, 9);
        INDArray block = ColumnBlocks.copy(m, 2, 6);
        assertThat(block.shape()).containsExactly(5, 4);
        assertThat(block.ordering()).isEqualTo('c');
        assertThat(block).isEqualTo(columnsByHand(m, 2, 6));

        INDArray target = Nd4j.zeros(dt, 5, 9);
        ColumnBlocks.put(block, target, 3);
        assertThat(columnsByHand(target, 3, 7)).isEqualTo(block);
        assertThat(columnsByHand(target, 0, 3).sumNumber().doubleValue()).isZero();
        assertThat(columnsByHand(target, 7, 9).sumNumber().doubleValue()).isZero();
    }

    @Test
    void worksOnBuffersThatStartAtAnOffsetAndOnColumnMajorFallback() {
        INDArray w = viewAtOffset(DataType.FLOAT, 6, 8, 24);
        assertThat(ColumnBlocks.copy(w, 1, 5)).isEqualTo(columnsByHand(w, 1, 5));
        assertThat(ColumnBlocks.rows(w, 3, 6)).isEqualTo(columnsByHand(w.transpose(), 3, 6).transpose());
        assertThat(ColumnBlocks.columns(w, 5, 8)).isEqualTo(columnsByHand(w, 5, 8));

        INDArray f = Nd4j.rand(DataType.FLOAT, 4, 7).dup('f');
        assertThat(ColumnBlocks.copy(f, 2, 5)).isEqualTo(columnsByHand(f, 2, 5));
        INDArray target = Nd4j.zeros(DataType.FLOAT, 4, 7).dup('f');
        ColumnBlocks.put(Nd4j.ones(DataType.FLOAT, 4, 2), target, 5);
        assertThat(target.sumNumber().doubleValue()).isEqualTo(8.0);
        assertThat(columnsByHand(target, 5, 7)).isEqualTo(Nd4j.ones(DataType.FLOAT, 4, 2));
    }

    @Test
    void gemmWritesIntoAStridedColumnViewOfAParameterLikeArray() {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 3, 4);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 4, 5);
        INDArray c = viewAtOffset(DataType.DOUBLE, 3, 10, 13);
        INDArray before = c.dup();
        DenseSubnetKernel.gemm(a, b, ColumnBlocks.columns(c, 5, 10), false, false, 0.0);
        assertThat(columnsByHand(c, 5, 10).equalsWithEps(a.mmul(b), 1e-12)).isTrue();
        assertThat(columnsByHand(c, 0, 5)).as("the other columns untouched").isEqualTo(columnsByHand(before, 0, 5));
    }
}
