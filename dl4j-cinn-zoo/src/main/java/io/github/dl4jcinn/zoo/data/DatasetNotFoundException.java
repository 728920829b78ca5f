package io.github.dl4jcinn.zoo.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Data files are missing. The message lists every path that was searched and how to obtain the data, because
 * the usual cause is a fresh machine, not a bug.
 */
public class DatasetNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient List<Path> searched;

    /**
     * @param what        what was looked for, e.g. "MNIST (train-images-idx3-ubyte[.gz], ...)"
     * @param searched    every path tried, in search order
     * @param howToObtain instructions appended to the message
     */
    public DatasetNotFoundException(String what, List<Path> searched, String howToObtain) {
        this(what, searched, List.of(), howToObtain);
    }

    /**
     * @param notes one remark per searched path (e.g. which files were missing there); may be shorter than
     *              {@code searched} or empty
     */
    public DatasetNotFoundException(String what, List<Path> searched, List<String> notes, String howToObtain) {
        super(buildMessage(what, searched, notes, howToObtain));
        this.searched = List.copyOf(searched);
    }

    /** The paths that were tried, in search order. */
    public List<Path> searched() {
        return searched;
    }

    private static String buildMessage(String what, List<Path> searched, List<String> notes, String howToObtain) {
        StringBuilder sb = new StringBuilder(what).append(" not found. Searched:");
        for (int i = 0; i < searched.size(); i++) {
            sb.append("\n  ").append(searched.get(i).toAbsolutePath());
            if (i < notes.size()) {
                sb.append("  (").append(notes.get(i)).append(')');
            }
        }
        return sb.append("\nHow to obtain the data:\n").append(howToObtain).toString();
    }
}
