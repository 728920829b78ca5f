package io.github.dl4jcinn.zoo.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small command-line option parser: options are declared with a help line, then parsed from
 * {@code --name value}, {@code --name=value} or {@code --flag}. Unknown options, missing values and malformed
 * numbers raise {@link UsageException} with a message that names the option.
 */
final class Args {

    private final String command;
    private final String summary;
    private final Map<String, Option> options = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> examples = new ArrayList<>();

    private record Option(String name, String valueName, String defaultValue, String help) {
        boolean flag() {
            return valueName == null;
        }
    }

    Args(String command, String summary) {
        this.command = command;
        this.summary = summary;
        flag("help", "print this help and exit");
    }

    /** An option with a value. {@code defaultValue} may be null (no default). */
    Args option(String name, String valueName, String defaultValue, String help) {
        options.put(name, new Option(name, valueName, defaultValue, help));
        return this;
    }

    Args flag(String name, String help) {
        options.put(name, new Option(name, null, null, help));
        return this;
    }

    Args example(String line) {
        examples.add(line);
        return this;
    }

    Args parse(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("-h")) {
                a = "--help";
            }
            if (!a.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + a + "' (options start with --)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option o = options.get(name);
            if (o == null) {
                throw new UsageException(command + ": unknown option --" + name + " (see " + command + " --help)");
            }
            if (o.flag()) {
                if (value != null) {
                    throw new UsageException(command + ": --" + name + " takes no value");
                }
                values.put(name, "true");
            } else {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new UsageException(command + ": --" + name + " needs a value <" + o.valueName() + ">");
                    }
                    value = argv[++i];
                }
                values.put(name, value);
            }
        }
        return this;
    }

    boolean helpRequested() {
        return has("help");
    }

    boolean has(String name) {
        require(name);
        return values.containsKey(name);
    }

    String string(String name) {
        require(name);
        String v = values.get(name);
        return v != null ? v : options.get(name).defaultValue();
    }

    int integer(String name) {
        String v = string(name);
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException | NullPointerException e) {
            throw new UsageException(command + ": --" + name + " expects an integer, got '" + v + "'");
        }
    }

    long longValue(String name) {
        String v = string(name);
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException | NullPointerException e) {
            throw new UsageException(command + ": --" + name + " expects an integer, got '" + v + "'");
        }
    }

    double number(String name) {
        String v = string(name);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new UsageException(command + ": --" + name + " expects a number, got '" + v + "'");
        }
    }

    int[] integers(String name) {
        String v = string(name);
        try {
            String[] parts = v.split(",");
            int[] out = new int[parts.length];
            for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].trim());
            return out;
        } catch (NumberFormatException | NullPointerException e) {
            throw new UsageException(command + ": --" + name + " expects comma-separated integers, got '" + v + "'");
        }
    }

    Path path(String name) {
        String v = string(name);
        return v == null ? null : Paths.get(v);
    }

    /** Value of a flag. */
    boolean flagSet(String name) {
        return has(name);
    }

    String help() {
        StringBuilder sb = new StringBuilder("Usage: cinn ").append(command).append(" [options]\n\n")
                .append(summary).append("\n\nOptions:\n");
        int width = 0;
        for (Option o : options.values()) {
            width = Math.max(width, label(o).length());
        }
        for (Option o : options.values()) {
            String l = label(o);
            sb.append("  ").append(l).append(" ".repeat(width - l.length() + 2)).append(o.help());
            if (o.defaultValue() != null) {
                sb.append(" (default ").append(o.defaultValue()).append(')');
            }
            sb.append('\n');
        }
        if (!examples.isEmpty()) {
            sb.append("\nExamples:\n");
            for (String e : examples) sb.append("  ").append(e).append('\n');
        }
        return sb.toString();
    }

    private static String label(Option o) {
        return o.flag() ? "--" + o.name() : "--" + o.name() + " <" + o.valueName() + ">";
    }

    private void require(String name) {
        if (!options.containsKey(name)) {
            throw new IllegalStateException("option --" + name + " was not declared for " + command);
        }
    }

    String command() {
        return command;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Wrong command line: printed without a stack trace, exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
