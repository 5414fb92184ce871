package io.anomalyflow.workshop.run;

import io.anomalyflow.app.AppLauncher;
import io.anomalyflow.app.OptionValues;
import io.anomalyflow.client.AnomalyClient;
import io.anomalyflow.client.ClientConfig;
import io.anomalyflow.client.ClientParts;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar workshop.jar --steps 06,07,11 [client options]}: the anomaly client with the
 * learner's parts of the passing steps plugged in ({@link WorkshopParts}) and ours elsewhere, what
 * {@code make workshop-run} starts in the place of {@code client.jar}. {@code --steps} lists the
 * steps whose checks pass ({@code make workshop} finds them; {@code none} or empty for none); every
 * other option is the client's ({@code --help}). It prints which part is whose, and so do the
 * client's start-up line and {@code /health} ({@code "workshopParts"}).
 */
public final class WorkshopClientMain {
    /** As the client's own main: the backstop against a reader that trickles its request headers. */
    private static final Duration REQUEST_TIME = Duration.ofSeconds(10);

    private WorkshopClientMain() {
    }

    /** Runs the client with the learner's parts; see the class comment for the arguments. */
    public static void main(String[] args) {
        var clientArgs = new ArrayList<String>();
        var parts = parts(Arrays.asList(args), clientArgs, System.out, System.err);
        if (parts == null) {
            System.exit(AppLauncher.BAD_OPTIONS);
            return;
        }
        AppLauncher.main(ClientConfig.OPTIONS, clientArgs.toArray(String[]::new), values -> start(values, parts, System.out));
    }

    /**
     * {@link #main} without exiting or a shutdown hook: prints which part is whose to {@code out},
     * starts the client ({@code launch.app()}, an {@link AnomalyClient}), or says to {@code err} why
     * not (status 2 for a bad option, 1 when it could not start).
     */
    public static AppLauncher.Launch launch(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        var clientArgs = new ArrayList<String>();
        var parts = parts(args, clientArgs, out, err);
        if (parts == null) {
            return new AppLauncher.Launch(AppLauncher.BAD_OPTIONS, null);
        }
        return AppLauncher.launch(ClientConfig.OPTIONS, clientArgs, env, out, err, values -> start(values, parts, out));
    }

    /** The parts {@code --steps} asks for, said to {@code out}, the client's own arguments left in {@code rest}; null after a bad {@code --steps}. */
    private static ClientParts parts(List<String> args, List<String> rest, PrintStream out, PrintStream err) {
        Set<String> passing;
        try {
            passing = steps(args, rest);
        } catch (IllegalArgumentException e) {
            err.println("workshop: " + e.getMessage());
            return null;
        }
        var parts = WorkshopParts.learners(passing);
        if (!rest.contains("--help")) {
            out.println("Workshop: the client with your parts where your step passes, ours elsewhere:");
            WorkshopParts.explain(passing).forEach(out::println);
            out.println("workshop parts: " + parts.describe());
        }
        return parts;
    }

    private static AnomalyClient start(OptionValues values, ClientParts parts, PrintStream out) throws Exception {
        AppLauncher.limitRequestTime(REQUEST_TIME);
        var client = AnomalyClient.start(ClientConfig.from(values), parts);
        out.println(client.describe());
        out.flush();
        return client;
    }

    /**
     * The steps of {@code --steps LIST} (or {@code --steps=LIST}) among {@code args}, two digits each;
     * every other argument goes to {@code rest}.
     */
    public static Set<String> steps(List<String> args, List<String> rest) {
        var passing = new LinkedHashSet<String>();
        for (int i = 0; i < args.size(); i++) {
            var arg = args.get(i);
            String list;
            if (arg.equals("--steps")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--steps: needs a list, e.g. --steps 06,07 (or none)");
                }
                list = args.get(++i);
            } else if (arg.startsWith("--steps=")) {
                list = arg.substring("--steps=".length());
            } else {
                rest.add(arg);
                continue;
            }
            for (var step : list.split("[,\\s]+")) {
                if (step.isEmpty() || step.equals("none")) {
                    continue;
                }
                if (!step.matches("\\d{1,2}")) {
                    throw new IllegalArgumentException("--steps: not a step number: \"" + step + "\"");
                }
                passing.add(step.length() == 1 ? "0" + step : step);
            }
        }
        return passing;
    }
}
