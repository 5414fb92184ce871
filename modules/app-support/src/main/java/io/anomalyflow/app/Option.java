package io.anomalyflow.app;

import java.util.regex.Pattern;

/**
 * One command-line option: {@code --name value}, read from the environment variable {@code env}
 * when the flag is absent, else {@code defaultValue}.
 *
 * @param name         the flag without its dashes: lower case, digits and {@code -} ({@code ack-timeout})
 * @param env          the environment variable ({@code ACK_TIMEOUT}), or {@code null} for none
 * @param defaultValue the value when neither flag nor variable is given, written as on the command
 *                     line ({@code 2s}); {@code null} means "unset" (read it with {@link OptionValues#optional})
 * @param valueHint    how the value is shown in the help ({@code <duration>}), or {@code null} for a
 *                     switch that takes no value ({@code --verbose}; its value is {@code true} when given)
 * @param description  one line for the help text
 * @param secret       the value is a secret: the help never shows its default, errors never echo it
 */
public record Option(String name, String env, String defaultValue, String valueHint, String description, boolean secret) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern ENV = Pattern.compile("[A-Z_][A-Z0-9_]*");

    public Option {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("option name must be lower-case words joined by '-': " + name);
        }
        if (env != null && !ENV.matcher(env).matches()) {
            throw new IllegalArgumentException("environment variable must be upper case, digits and '_': " + env);
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("option --" + name + " needs a description");
        }
        if (valueHint == null && defaultValue != null && !defaultValue.equals("false")) {
            throw new IllegalArgumentException("switch --" + name + " can only default to false: " + defaultValue);
        }
    }

    /** {@code true} for a switch: {@code --name} alone means true, {@code --name=false} is also accepted. */
    public boolean isSwitch() {
        return valueHint == null;
    }

    /** {@code --name}. */
    public String flag() {
        return "--" + name;
    }
}
