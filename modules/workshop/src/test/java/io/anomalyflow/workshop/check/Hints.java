package io.anomalyflow.workshop.check;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rule a failed check is about, and a hint for it. The TCK's test names carry the rule
 * ({@code required_spec309_…} is §3.9); the targeted checks name theirs in their display name.
 */
final class Hints {
    private static final Pattern TCK_RULE = Pattern.compile("spec(\\d)(\\d\\d)");
    private static final Pattern DISPLAY_RULE = Pattern.compile("§(\\d+\\.\\d+)");
    private static final Map<String, String> BY_RULE = Map.ofEntries(
            Map.entry("§1.1", "never more onNext than requested: count what you emitted against what was requested"),
            Map.entry("§1.2", "fewer items than requested is fine, then onComplete; but every requested item that exists must come"),
            Map.entry("§1.3", "signals to one subscriber must not overlap: one drain loop (wip counter) or one thread emits"),
            Map.entry("§1.4", "a failed source still calls onSubscribe first, then onError"),
            Map.entry("§1.5", "after the last item of a finite stream, onComplete, without waiting for more demand"),
            Map.entry("§1.6", "after onError/onComplete the subscription is over: keep a done flag and check it"),
            Map.entry("§1.7", "nothing after a terminal signal: a late upstream signal after your own onError is ignored"),
            Map.entry("§1.9", "subscribe(null) throws NullPointerException; else onSubscribe comes before any other signal"),
            Map.entry("§1.10", "each subscribe() gets its own state: nothing shared between subscriptions"),
            Map.entry("§1.11", "each subscribe() gets its own state: nothing shared between subscriptions"),
            Map.entry("§2.1", "a subscriber gets nothing without asking: request in onSubscribe"),
            Map.entry("§2.5", "a second onSubscribe while one is active: cancel the new subscription, keep the first"),
            Map.entry("§2.8", "onNext may still come after you cancelled: accept it and ignore it"),
            Map.entry("§2.9", "onComplete may come without any request: handle it"),
            Map.entry("§2.10", "onError may come without any request: handle it"),
            Map.entry("§2.13", "on*(null) throws NullPointerException; otherwise never throw from on*: turn a failure into cancel/onError"),
            Map.entry("§3.2", "request may be called from inside onNext: it must not emit from there (recursion, §3.3)"),
            Map.entry("§3.3", "request() from inside onNext must not recurse into onNext: a wip counter, or emit only on 0 -> n"),
            Map.entry("§3.4", "request must return quickly: no blocking, no heavy work on the caller's thread"),
            Map.entry("§3.5", "cancel() is idempotent and thread-safe"),
            Map.entry("§3.6", "after cancel, request does nothing"),
            Map.entry("§3.7", "after cancel, cancel does nothing"),
            Map.entry("§3.9", "request(n <= 0): signal onError(IllegalArgumentException) (and cancel); never throw from request"),
            Map.entry("§3.12", "after cancel, stop signalling (eventually)"),
            Map.entry("§3.13", "on cancel, drop the reference to the subscriber (the TCK checks it with a GC)"),
            Map.entry("§3.16", "a subscription may be called from any thread"),
            Map.entry("§3.17", "demand adds up to Long.MAX_VALUE: cap it (a + b < 0 ? Long.MAX_VALUE : a + b), never go negative"));
    private static final Map<String, String> BY_NAME = Map.of(
            "mustRequestFromUpstreamForElementsThatHaveBeenRequestedLongAgo",
            "each subscriber's demand must reach the upstream: request from upstream what the subscribers asked for",
            "spec104_mustCallOnErrorOnAllItsSubscribers",
            "an upstream error reaches every subscriber; a lock-step processor must return true from coordinatedEmission()",
            "exerciseWhiteboxHappyPath", "request one event after subscribing and one after each write",
            "createPublisher1MustProduceAStreamOfExactly1Element", "a one-item source gives one onNext then onComplete",
            "createPublisher3MustProduceAStreamOfExactly3Elements", "three items on request, in order, then onComplete",
            "validate_maxElementsFromPublisher", "");

    private Hints() {
    }

    /** The message without object ids and TCK class names, which say nothing to a learner. */
    static String tidy(String message) {
        return message
                .replaceAll("org\\.reactivestreams\\.tck\\.[\\w.$]+@[0-9a-f]+", "the TCK's subscriber")
                .replaceAll("org\\.reactivestreams\\.FlowAdapters\\$\\w+@[0-9a-f]+", "the publisher under test")
                .replaceAll("io\\.anomalyflow\\.workshop\\.([\\w$]+)@[0-9a-f]+", "$1");
    }

    /** {@code §3.9} for {@code required_spec309_…} or a display name citing it; "" when none. */
    static String rule(String testName) {
        var tck = TCK_RULE.matcher(testName);
        if (tck.find()) {
            return "§" + tck.group(1) + "." + Integer.parseInt(tck.group(2));
        }
        var display = DISPLAY_RULE.matcher(testName);
        return display.find() ? "§" + display.group(1) : "";
    }

    /**
     * The hint for a failed test with this (tidied) message; "" when there is nothing more to say.
     * A few messages say more than the test's name: no {@code onSubscribe} at all fails most of the
     * TCK at once.
     */
    static String hint(String testName, String message) {
        if (message.contains("Could not subscribe") || message.contains("Should have received onSubscribe")) {
            return "your subscriber never got onSubscribe: the first thing to do (§1.9) is pass a subscription downstream";
        }
        if (message.contains("did not request") || message.contains("Did not receive expected `request`")) {
            return "nobody asked for anything: request from onSubscribe, then after each item handled (§2.1)";
        }
        for (var e : BY_NAME.entrySet()) {
            if (testName.contains(e.getKey())) {
                return e.getValue();
            }
        }
        return BY_RULE.getOrDefault(rule(testName), "");
    }
}
