package io.anomalyflow.client;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.flow.sse.SseEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The parts of the client's Flow chain that another implementation of the same contract may take
 * the place of: the extension point through which the workshop ({@code make workshop-run}) serves
 * the live page with a learner's classes. Each component is {@code null} for the client's own
 * ({@link #ours()}, what {@link AnomalyClient#start(ClientConfig)} uses); {@link #describe()} says
 * which is which, and so do the start-up line and {@code /health} of a client started with parts
 * ({@link AnomalyClient#start(ClientConfig, ClientParts)}).
 *
 * <p>Where each part sits ({@code docs/architecture.md} shows the chain):
 * <pre>
 *  stream ─▶ <b>filter</b> (not read before) ─▶ <b>map</b>/<b>filter</b> (decode, the rule) ─▶ our hub (puts into the map)
 *     ─▶ <b>multicast</b> (one processor for all readers) ─▶ per reader: <b>deviceFilter</b> ─▶ <b>buffer</b>
 *     ─▶ the map's replay, then live ─▶ <b>sse</b>
 * </pre>
 * The {@code history} sits beside the map ({@link AnomalyStore}): it is told of every anomaly put
 * and decides what the map's sweep removes; reads still skip what has expired by the map's own
 * clock, so none ever shows an expired anomaly.
 *
 * <p>Our hub stays in front in every case: it puts each detection into the map under the lock a
 * joining reader's replay is taken under, which is what makes a reader's stream have no gap and no
 * duplicate. With a part of another's, a reader subscribes to the live stream first and is given
 * the map's content after, skipping live detections it was replayed; the replay is served on the
 * reader's own demand, outside its buffer. Another's {@code sse} writer gets its signals on the
 * reader's own request thread, so a writer that blocks on a full socket holds up only that reader.
 *
 * <p>The contracts are those of the Reactive Streams rules (a publisher returned by a part must
 * keep them), and the narrow ones below; the client trusts them, so only parts that passed their
 * checks belong here.
 *
 * @param map          each item transformed; a throwing mapper fails the stream
 * @param filter       the items a predicate accepts, one more requested per item dropped
 * @param multicast    a processor that passes each item to all its current subscribers
 * @param deviceFilter one reader's view: the items it keeps, through a drop-oldest buffer of its own
 * @param buffer       a bounded buffer that asks its source for everything and drops the oldest when full
 * @param sse          a subscriber writing Server-Sent Events to one response, one request per write
 * @param history      which anomalies of the map have expired, for its sweep ({@link ExpiringHistory})
 */
public record ClientParts(MapOperator map, FilterOperator filter, MulticastFactory multicast,
        DeviceFilter deviceFilter, Buffer buffer, SseWriterFactory sse, HistoryFactory history) {

    /** Every part the client's own. */
    public static ClientParts ours() {
        return new ClientParts(null, null, null, null, null, null, null);
    }

    /** Whether every part is the client's own. */
    public boolean allOurs() {
        return map == null && filter == null && multicast == null && deviceFilter == null && buffer == null && sse == null
                && history == null;
    }

    /** Whether a reader's path (multicast, device filter, buffer) has a part not the client's own. */
    boolean readerPathPlugged() {
        return multicast != null || deviceFilter != null || buffer != null;
    }

    /**
     * Which part is whose, e.g. {@code map=yours filter=yours multicast=ours device-filter=ours
     * buffer=yours sse=ours history=ours}: "yours" for a part given here, "ours" for the client's own.
     */
    public String describe() {
        var parts = new ArrayList<String>();
        parts.add("map=" + whose(map));
        parts.add("filter=" + whose(filter));
        parts.add("multicast=" + whose(multicast));
        parts.add("device-filter=" + whose(deviceFilter));
        parts.add("buffer=" + whose(buffer));
        parts.add("sse=" + whose(sse));
        parts.add("history=" + whose(history));
        return String.join(" ", parts);
    }

    private static String whose(Object part) {
        return part == null ? "ours" : "yours";
    }

    /** The map operator. */
    public interface MapOperator {
        /** Each item of {@code source} transformed by {@code mapper}; a throwing mapper fails the stream. */
        <T, R> Flow.Publisher<R> map(Flow.Publisher<T> source, Function<? super T, ? extends R> mapper);
    }

    /** The filter operator. */
    public interface FilterOperator {
        /** The items of {@code source} that {@code predicate} accepts; a throwing predicate fails the stream. */
        <T> Flow.Publisher<T> filter(Flow.Publisher<T> source, Predicate<? super T> predicate);
    }

    /** Makes the processor all SSE readers of one pipeline run share. */
    public interface MulticastFactory {
        /**
         * A new, unsubscribed processor: subscribed once to the run's detections, it passes each to
         * every current subscriber; items go to a subscriber only on its demand. A subscriber that
         * leaves must not stop the others.
         */
        <T> Flow.Processor<T, T> create();
    }

    /** One SSE reader's view of the shared stream. */
    public interface DeviceFilter {
        /**
         * The items of {@code source} that {@code keep} accepts, through a buffer of {@code capacity}
         * items that drops the oldest when full; the source is never slowed down by this reader.
         */
        <T> Flow.Publisher<T> view(Flow.Publisher<T> source, Predicate<? super T> keep, int capacity);
    }

    /** The drop-oldest buffer in front of one slow reader. */
    public interface Buffer {
        /**
         * The items of {@code source}, buffered: it asks its source for everything, keeps at most
         * {@code capacity} items not yet requested downstream, and evicts the oldest to make room.
         */
        <T> Flow.Publisher<T> dropOldest(Flow.Publisher<T> source, int capacity);
    }

    /** Makes the subscriber that writes one SSE response. */
    public interface SseWriterFactory {
        /** A new subscriber streaming to {@code exchange}; it sends the response headers itself, once subscribed. */
        SseWriter open(HttpExchange exchange);
    }

    /**
     * One SSE response as a subscriber: it writes each event, then requests the next; it manages
     * its own demand. A failed write cancels the subscription.
     */
    public interface SseWriter extends Flow.Subscriber<SseEvent>, AutoCloseable {
        /** Ends the stream from any thread: the subscription is cancelled and the response closed. */
        @Override
        void close();
    }

    /** Makes the history that decides what the map's sweep removes. */
    public interface HistoryFactory {
        /** A new, empty history whose entries live {@code ttl} after their stream time, as {@code clock} tells. */
        ExpiringHistory create(Duration ttl, InstantSource clock);
    }

    /**
     * The anomalies by position, bounded in time. The map calls it under its own write lock only,
     * so it need not be thread-safe; it asks {@link #live()} on every sweep (all positions: fine for
     * the workshop's few thousand anomalies, not for 100 000).
     */
    public interface ExpiringHistory {
        /** Adds the anomaly read at {@code position} (increasing from call to call) for {@code deviceId}. */
        void put(long position, String deviceId, Instant streamTime);

        /** The positions still live now, oldest first: never one whose time is up, swept or not. */
        List<Long> live();

        /** Removes every entry whose time is up; returns how many it removed. */
        int expire();
    }
}
