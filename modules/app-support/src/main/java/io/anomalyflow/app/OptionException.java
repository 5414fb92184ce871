package io.anomalyflow.app;

/**
 * A bad command line or environment: an unknown option, a missing value, a value that does not
 * parse or is out of range. The message names the option (or variable) and the bad value, for
 * example {@code --port: not a number: "x"}, and is meant to be printed as is; apps exit with
 * status 2 on it ({@link AppLauncher}).
 */
public final class OptionException extends IllegalArgumentException {
    private final String option;

    /**
     * @param option  where the value came from ({@code --port}, {@code PORT (for --port)}), or
     *                {@code null} when the problem is not about one option
     * @param problem what is wrong, including the bad value
     */
    public OptionException(String option, String problem) {
        super(option == null ? problem : option + ": " + problem);
        this.option = option;
    }

    /** Where the bad value came from, or {@code null}. */
    public String option() {
        return option;
    }
}
