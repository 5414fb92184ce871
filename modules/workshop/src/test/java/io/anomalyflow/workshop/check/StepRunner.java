package io.anomalyflow.workshop.check;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a step's check classes in this JVM through the JUnit Platform (Jupiter and, through the
 * TestNG engine, the TCK) against one implementation, and collects the failures. A run that does
 * not end within its time bound is abandoned and reported as hung, naming the tests then running:
 * a learner's deadlock fails the step, it does not hang the build.
 */
final class StepRunner {
    /** One failed test: its class, its name, the rule it is about ({@code §3.9}, or empty) and what went wrong. */
    record Failure(String checkClass, String test, String rule, String message) {
    }

    /** The outcome of one check class (or of a whole step when merged). */
    record Report(int tests, List<Failure> failures, List<String> hungIn) {
        boolean passed() {
            return failures.isEmpty() && hungIn.isEmpty() && tests > 0;
        }
    }

    private StepRunner() {
    }

    /** Runs one check class against {@code implementation} (see {@link Implementations}). */
    static Report run(Class<?> checkClass, String implementation, Duration bound) {
        var listener = new Collector(checkClass.getSimpleName());
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(List.<ClassSelector>of(selectClass(checkClass)))
                .configurationParameter("testng.verbose", "0")
                .configurationParameter("testng.useDefaultListeners", "false")
                .build();
        var previous = System.getProperty(Implementations.PROPERTY);
        System.setProperty(Implementations.PROPERTY, implementation);
        var runner = Thread.ofPlatform().daemon().name("workshop-check-" + checkClass.getSimpleName()).unstarted(
                () -> LauncherFactory.create().execute(request, listener));
        try {
            runner.start();
            runner.join(bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            restore(previous); // an abandoned run reads it no more: its check classes are made at discovery
        }
        List<String> hung = runner.isAlive() ? List.copyOf(listener.running) : List.of();
        if (runner.isAlive()) {
            runner.interrupt();
        }
        return new Report(listener.tests.get(), List.copyOf(listener.failures), hung);
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(Implementations.PROPERTY);
        } else {
            System.setProperty(Implementations.PROPERTY, previous);
        }
    }

    /** Counts tests and keeps the failures; knows which tests are running. */
    private static final class Collector implements TestExecutionListener {
        private final String checkClass;
        final AtomicInteger tests = new AtomicInteger();
        final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        final Set<String> running = ConcurrentHashMap.newKeySet();

        Collector(String checkClass) {
            this.checkClass = checkClass;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                running.add(name(id));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                running.remove(name(id));
                tests.incrementAndGet();
            }
            // a failure of a container (a class that cannot be set up) fails its tests too
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                var cause = result.getThrowable().orElse(null);
                var message = cause == null ? "failed" : firstLines(cause);
                failures.add(new Failure(checkClass, name(id), Hints.rule(name(id)), message));
            }
        }

        private static String name(TestIdentifier id) {
            var method = id.getLegacyReportingName();
            var display = id.getDisplayName();
            return display.startsWith("§") || display.contains(" ") ? display : method.replace("()", "");
        }

        private static String firstLines(Throwable t) {
            var text = new StringBuilder();
            String previous = null;
            for (var c = t; c != null && text.length() < 400; c = c.getCause()) {
                var message = String.valueOf(c.getMessage()).strip();
                if (message.equals(previous)) {
                    continue; // a wrapper repeating its cause says nothing new
                }
                if (!text.isEmpty()) {
                    text.append(" | caused by ");
                }
                text.append(c.getClass().getSimpleName()).append(": ").append(message);
                previous = message;
            }
            var s = text.toString().replaceAll("\\s+", " ");
            return s.length() > 400 ? s.substring(0, 400) + " …" : s;
        }
    }
}
