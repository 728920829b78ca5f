package io.github.dl4jcinn.layers.vertex;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnoreProperties;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Base configuration of every dl4j-cinn vertex. It exists to route all of them to a runtime that is correct on
 * DL4J 1.0.0-M2.1, whose stock {@code SameDiffGraphVertex} doubles gradients, corrupts training workspaces and never
 * exposes its gradient view (see {@link CorrectedSameDiffGraphVertex}).
 *
 * <p>Configuration rules that keep saved models honest (DL4J's JSON silently drops state otherwise): a public no-arg
 * constructor, every setting a getter/setter pair, derived values exposed only through methods whose names do not
 * start with {@code get}. Equality, hash and {@link #clone()} go through the JSON form, so a subclass never has to
 * remember them (SameDiffVertex's Lombok equality ignores subclass fields). Parameter shapes are not serialized:
 * they are derived from the configuration, so a restored model can never disagree with its own settings.
 */
@JsonIgnoreProperties({"vertexParams"})
public abstract class CinnVertex extends SameDiffVertex {

    /**
     * An eager ND4J implementation of this vertex's forward and backward pass, used instead of SameDiff at training
     * and inference time when non-null. The SameDiff definition stays the reference that tests compare it with.
     */
    public EagerKernel eagerKernel() {
        return null;
    }

    /** Human-readable vertex identity for messages: its graph name once instantiated, else its class. */
    public String describe() {
        String n = getName();
        return getClass().getSimpleName() + (n == null ? "" : " '" + n + "'");
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        setName(name);
        EagerKernel kernel = eagerKernel();
        if (kernel != null) {
            return new EagerGraphVertex(this, kernel, graph, name, idx, paramsView, initializeParams, networkDatatype);
        }
        return new CorrectedSameDiffGraphVertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    /** The configuration as DL4J serializes it. */
    public String toJson() {
        try {
            return JsonMappers.getMapper().writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialize " + describe(), e);
        }
    }

    @Override
    public GraphVertex clone() {
        try {
            return JsonMappers.getMapper().readValue(toJson(), GraphVertex.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clone " + describe(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && toJson().equals(((CinnVertex) o).toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
