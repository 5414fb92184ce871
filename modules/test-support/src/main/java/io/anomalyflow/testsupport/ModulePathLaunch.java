package io.anomalyflow.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts an app's main class the way an embedder does on the module path,
 * {@code java --module-path <path> -m <module>/<main> [args]}, with the module path this test JVM was
 * given ({@code jdk.module.path}: Surefire sets it when a module with a {@code module-info} is tested).
 * Only the named modules and what they {@code require} resolve there, so a missing or wrong directive
 * fails the launch, which the class path would forgive. The process writes stdout and stderr to
 * {@code output}.
 */
public final class ModulePathLaunch {
    /** What a finished run printed and its exit status. */
    public record Result(int exitCode, String output) {
    }

    private ModulePathLaunch() {
    }

    /** Starts {@code module/mainClass args}; fails when this JVM has no module path. The caller ends it. */
    public static Process start(Path output, String module, String mainClass, String... args) throws IOException {
        var modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isBlank()) {
            throw new AssertionError("this test JVM runs on the class path: no jdk.module.path to launch " + module + " with");
        }
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath, "-m", module + "/" + mainClass));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        process.getOutputStream().close();
        return process;
    }

    /** Runs {@code module/mainClass args} to its end; fails when that takes over 60 s. */
    public static Result run(Path output, String module, String mainClass, String... args)
            throws IOException, InterruptedException {
        var process = start(output, module, mainClass, args);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(module + " did not end within 60 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }
}
