package io.github.dl4jcinn.layers.training;

/** Training produced a NaN or infinite loss or parameter; carries where it was first seen. */
public class NonFiniteLossException extends RuntimeException {
    private final int iteration;

    public NonFiniteLossException(String message, int iteration) {
        super(message);
        this.iteration = iteration;
    }

    public int iteration() {
        return iteration;
    }
}
