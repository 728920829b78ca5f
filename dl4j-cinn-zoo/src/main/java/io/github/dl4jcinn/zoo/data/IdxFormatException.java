package io.github.dl4jcinn.zoo.data;

import java.io.IOException;

/**
 * An IDX file exists but its content is not what the header (or the caller) promises: wrong magic, bad
 * dimensions, truncated or over-long data, or an image/label count mismatch. A separate type so callers can
 * tell "corrupt download" from "no data yet" ({@link DatasetNotFoundException}).
 */
public class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public IdxFormatException(String message) {
        super(message);
    }

    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
