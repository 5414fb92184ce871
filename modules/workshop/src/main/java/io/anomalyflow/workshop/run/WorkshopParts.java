package io.anomalyflow.workshop.run;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.client.ClientParts;
import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.workshop.DeviceFilter;
import io.anomalyflow.workshop.DropOldestBuffer;
import io.anomalyflow.workshop.ExpiringHistoryMap;
import io.anomalyflow.workshop.MapAndFilter;
import io.anomalyflow.workshop.Multicast;
import io.anomalyflow.workshop.SseWriter;
import io.anomalyflow.workshop.api.BufferStep;
import io.anomalyflow.workshop.api.DeviceFilterStep;
import io.anomalyflow.workshop.api.HistoryStep;
import io.anomalyflow.workshop.api.MulticastStep;
import io.anomalyflow.workshop.api.OperatorStep;
import io.anomalyflow.workshop.api.SseStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Flow;

/**
 * The step implementations as the client's {@link ClientParts}: step 07's map and filter, 08's
 * multicast, 09's expiring history, 10's device filter, 11's drop-oldest buffer and 06's SSE
 * writer. Only the steps that
 * pass their checks are plugged in; the client's own part serves wherever a step does not, so the
 * system keeps its guarantees whatever state the learner's code is in.
 *
 * <p>Step 05 (the publish after the ack) is the gateway's side, and is not plugged in. Step 09's
 * history decides what the client's map sweeps away; the map's reads and replay stay ours.
 */
public final class WorkshopParts {
    /** The steps that have a part in the client. */
    public static final List<String> PLUGGABLE = List.of("06", "07", "08", "09", "10", "11");

    private static final String FORMAT = "  %s  %-39s %s";

    private WorkshopParts() {
    }

    /**
     * The learner's classes ({@code io.anomalyflow.workshop}) for the steps in {@code passing}
     * ("07", …), ours for the rest.
     */
    public static ClientParts learners(Set<String> passing) {
        return of(passing.contains("07") ? new MapAndFilter() : null,
                passing.contains("08") ? new Multicast() : null,
                passing.contains("10") ? new DeviceFilter() : null,
                passing.contains("11") ? new DropOldestBuffer() : null,
                passing.contains("06") ? new SseWriter() : null,
                passing.contains("09") ? new ExpiringHistoryMap() : null);
    }

    /** The parts of the given step implementations; {@code null} for a step whose part stays ours. */
    public static ClientParts of(OperatorStep operators, MulticastStep multicast, DeviceFilterStep deviceFilter,
            BufferStep buffer, SseStep sse, HistoryStep history) {
        return new ClientParts(
                operators == null ? null : operators::map,
                operators == null ? null : operators::filter,
                multicast == null ? null : multicast::create,
                deviceFilter == null ? null : deviceFilter::view,
                buffer == null ? null : buffer::dropOldest,
                sse == null ? null : exchange -> writer(sse, exchange),
                history == null ? null : (ttl, clock) -> history(history.create(ttl, clock)));
    }

    /** One line per step with a part: whose serves, and why. */
    public static List<String> explain(Set<String> passing) {
        var lines = new ArrayList<String>();
        lines.add(String.format(FORMAT, "05", "publish after the ack", "ours  (the gateway publishes: not plugged in)"));
        lines.add(line("06", "SSE writer (SseWriter)", passing));
        lines.add(line("07", "map and filter (MapAndFilter)", passing));
        lines.add(line("08", "multicast (Multicast)", passing));
        lines.add(line("09", "expiring history (ExpiringHistoryMap)", passing));
        lines.add(line("10", "device filter (DeviceFilter)", passing));
        lines.add(line("11", "drop-oldest buffer (DropOldestBuffer)", passing));
        return lines;
    }

    private static String line(String step, String part, Set<String> passing) {
        return String.format(FORMAT, step, part,
                passing.contains(step) ? "YOURS (your step passes)" : "ours  (your step does not pass yet)");
    }

    private static ClientParts.ExpiringHistory history(HistoryStep.ExpiringHistory history) {
        return new ClientParts.ExpiringHistory() {
            @Override
            public void put(long position, String deviceId, Instant streamTime) {
                history.put(position, deviceId, streamTime);
            }

            @Override
            public List<Long> live() {
                return history.live();
            }

            @Override
            public int expire() {
                return history.expire();
            }
        };
    }

    private static ClientParts.SseWriter writer(SseStep step, HttpExchange exchange) {
        var stream = step.open(exchange);
        return new ClientParts.SseWriter() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                stream.onSubscribe(subscription);
            }

            @Override
            public void onNext(SseEvent item) {
                stream.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                stream.onError(throwable);
            }

            @Override
            public void onComplete() {
                stream.onComplete();
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }
}
