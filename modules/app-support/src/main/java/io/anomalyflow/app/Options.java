package io.anomalyflow.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The options an app understands, and the parser that turns {@code args} plus the environment into
 * {@link OptionValues}. Immutable and thread-safe once built.
 *
 * <p>Rules, the same for every app: options are {@code --name value} or {@code --name=value}; a
 * switch ({@link Option#isSwitch()}) is {@code --name} alone. The value after {@code --name} is
 * taken as is, even when it starts with {@code -}. A flag wins over its environment variable, which
 * wins over the default; an empty variable counts as unset (so {@code PORT= app} behaves like no
 * {@code PORT}). When a flag is given twice the last one wins, so wrappers can put defaults first.
 * An unknown option or a stray argument is an error. {@code --help} and {@code -h} are always
 * understood and win over any error in the other arguments.
 *
 * <p>The environment is passed in as a map ({@link #parse(List, Map)}), so tests need no real
 * variables; {@link #parse(String[])} reads {@link System#getenv()}.
 */
public final class Options {
    private final String program;
    private final String summary;
    private final List<Option> options;
    private final Map<String, Option> byName;

    private Options(String program, String summary, List<Option> options) {
        this.program = program;
        this.summary = summary;
        var map = new LinkedHashMap<String, Option>();
        var envs = new LinkedHashMap<String, String>();
        for (var o : options) {
            if (o.name().equals("help") || map.putIfAbsent(o.name(), o) != null) {
                throw new IllegalArgumentException("option --" + o.name() + " is defined twice (or is the built-in --help)");
            }
            if (o.env() != null && envs.putIfAbsent(o.env(), o.name()) != null) {
                throw new IllegalArgumentException("environment variable " + o.env() + " is used by --"
                        + envs.get(o.env()) + " and --" + o.name());
            }
        }
        this.byName = Map.copyOf(map);
        this.options = List.copyOf(options);
    }

    /** Starts a definition: the program name and one sentence for the top of {@code --help}. */
    public static Builder builder(String program, String summary) {
        return new Builder(Objects.requireNonNull(program, "program"), Objects.requireNonNull(summary, "summary"));
    }

    /** The options in definition order. */
    public List<Option> options() {
        return options;
    }

    /** The option named {@code name}; an {@link IllegalArgumentException} (a bug in the app) when there is none. */
    public Option option(String name) {
        var o = byName.get(name);
        if (o == null) {
            throw new IllegalArgumentException("no option --" + name + " is defined for " + program);
        }
        return o;
    }

    /** Parses {@code args} with the process environment. */
    public OptionValues parse(String[] args) {
        return parse(Arrays.asList(args), System.getenv());
    }

    /**
     * Parses {@code args} with {@code env} as the environment.
     *
     * @throws OptionException naming the option and the problem (unknown option, missing value)
     */
    public OptionValues parse(List<String> args, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        if (args.contains("--help") || args.contains("-h")) {
            return new OptionValues(this, Map.of(), true);
        }
        var values = new LinkedHashMap<String, OptionValues.Raw>();
        for (var o : options) {
            var fromEnv = o.env() == null ? null : env.get(o.env());
            if (fromEnv != null && !fromEnv.isEmpty()) {
                values.put(o.name(), new OptionValues.Raw(fromEnv, o.env() + " (for " + o.flag() + ")"));
            } else if (o.defaultValue() != null) {
                values.put(o.name(), new OptionValues.Raw(o.defaultValue(), o.flag() + " (default)"));
            }
        }
        for (int i = 0; i < args.size(); i++) {
            var arg = Objects.requireNonNull(args.get(i), "argument");
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new OptionException(null, "unexpected argument \"" + arg
                        + "\" (options are written --name value; see --help)");
            }
            int eq = arg.indexOf('=');
            var name = arg.substring(2, eq < 0 ? arg.length() : eq);
            var o = byName.get(name);
            if (o == null) {
                throw new OptionException(null, "unknown option --" + name + " (see --help)");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (o.isSwitch()) {
                value = "true";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new OptionException(o.flag(), "missing value (" + o.valueHint() + ")");
            }
            values.put(name, new OptionValues.Raw(value, o.flag()));
        }
        return new OptionValues(this, values, false);
    }

    /** The {@code --help} text: usage, summary, then one line per option with its variable and default. */
    public String help() {
        var rows = new ArrayList<String[]>();
        for (var o : options) {
            var def = o.secret() ? "" : o.defaultValue() == null ? "" : " (default: " + o.defaultValue() + ")";
            rows.add(new String[] {o.flag() + (o.isSwitch() ? "" : " " + o.valueHint()),
                    o.env() == null ? "" : o.env(), o.description() + def});
        }
        rows.add(new String[] {"--help, -h", "", "print this help and exit"});
        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        var sb = new StringBuilder();
        sb.append("Usage: ").append(program).append(" [options]\n\n").append(summary).append("\n\n");
        sb.append("Options (each can also be set by the environment variable shown; a flag wins):\n");
        for (var r : rows) {
            sb.append("  ").append(pad(r[0], w0)).append("  ").append(pad(r[1], w1)).append("  ").append(r[2]);
            sb.append('\n');
        }
        sb.append("\nDurations: 500ms, 30s, 10m, 24h, 7d or ISO-8601 (PT10M). Sizes: 1MiB, 512KiB, 64KB or bytes.\n");
        return sb.toString();
    }

    String program() {
        return program;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    /** Collects option definitions; see {@link Option} for what each field means. */
    public static final class Builder {
        private final String program;
        private final String summary;
        private final List<Option> options = new ArrayList<>();

        private Builder(String program, String summary) {
            this.program = program;
            this.summary = summary;
        }

        /** An option with a value; {@code defaultValue} may be {@code null} (unset unless given). */
        public Builder option(String name, String env, String defaultValue, String valueHint, String description) {
            options.add(new Option(name, env, defaultValue, Objects.requireNonNull(valueHint, "valueHint"), description, false));
            return this;
        }

        /** An option whose value is a secret (a token, a password): never shown in help or errors. */
        public Builder secret(String name, String env, String valueHint, String description) {
            options.add(new Option(name, env, null, Objects.requireNonNull(valueHint, "valueHint"), description, true));
            return this;
        }

        /**
         * Adds a group of options that several apps share ({@code .include(ServerAccess::options)}),
         * so the group is defined once.
         */
        public Builder include(java.util.function.UnaryOperator<Builder> group) {
            return group.apply(this);
        }

        /** A switch: {@code --name} alone sets it; false unless given. */
        public Builder flag(String name, String env, String description) {
            options.add(new Option(name, env, "false", null, description, false));
            return this;
        }

        /** Options defined elsewhere and shared by several apps ({@link NatsClientOptions#OPTIONS}). */
        public Builder options(List<Option> group) {
            options.addAll(group);
            return this;
        }

        public Options build() {
            return new Options(program, summary, options);
        }
    }
}
