package io.github.dl4jcinn.layers.testing;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;

import java.util.function.BiConsumer;

/**
 * One configuration exercised by the generic block suite: a data shape, an optional condition shape, and the
 * blocks to append (given the name of the vertex that carries the condition, or null).
 */
public final class FlowCase {
    public final String name;
    public final FlowShape shape;
    public final FlowShape condition;
    final BiConsumer<CinnGraphBuilder, String> body;

    public FlowCase(String name, FlowShape shape, FlowShape condition, BiConsumer<CinnGraphBuilder, String> body) {
        this.name = name;
        this.shape = shape;
        this.condition = condition;
        this.body = body;
    }

    @Override
    public String toString() {
        return name;
    }
}
