package io.github.dl4jcinn.layers.inverse;

import java.util.List;

/**
 * The few operations the inverse traversal needs, over a value type T: SameDiff variables (one graph, built once)
 * or eager ND4J arrays (blocks with hand-written inverses, no graph at all).
 */
interface InverseOps<T> {

    /** The final flow tensor {@code [z | 0]}: latents with a zero log-det column. */
    T latentWithZeroLogDet();

    /** Columns {@code [from, to)}. */
    T columns(T x, long from, long to);

    /** Column-wise concatenation. */
    T concat(List<T> parts);

    /** The input flow tensor of block {@code vertex}, from its output flow tensor, by the block's inverse. */
    T blockInverse(String vertex, T output);
}
