package io.anomalyflow.client;

import io.anomalyflow.events.Anomaly;
import io.anomalyflow.events.AnomalyEvents;
import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.testsupport.TestNats;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends anomaly events to an anomalies stream as a detector does ({@link AnomalyEvents}: the
 * anomaly's JSON, the message id and the source headers), so the client's tests write what a
 * {@code --source anomalies} client reads, in any order, without a detector.
 */
final class DetectorEvents {
    private static final EventCodec CODEC = EventCodec.create();

    private final TestNats nats;

    DetectorEvents(TestNats nats) {
        this.nats = nats;
    }

    /**
     * One event: the anomaly of measurement {@code anomaly.seq()} of {@code sourceStream}, and the
     * {@value AnomalyEvents#SOURCE_TIME} header's text ({@code null}: no such header).
     */
    record Event(String sourceStream, Anomaly anomaly, String sourceTime) {
        Event(String sourceStream, Anomaly anomaly, Instant sourceTime) {
            this(sourceStream, anomaly, AnomalyEvents.formatTime(sourceTime));
        }
    }

    /**
     * A made-up event of measurement {@code seq} of {@code MEASUREMENTS} (value {@code seq % 20}, an
     * anomaly by the default rule), with the header text {@code sourceTime} ({@code null}: none).
     */
    static Event event(long seq, String device, String sourceTime) {
        var value = java.math.BigDecimal.valueOf(seq % 20);
        return new Event("MEASUREMENTS",
                new Anomaly(seq, Instant.parse("2026-11-26T12:00:00.123Z"), device, value, "Value too low " + value),
                sourceTime);
    }

    /** {@link #event(long, String, String)} stored now, as a detector that judges at once. */
    static Event event(long seq, String device) {
        return event(seq, device, AnomalyEvents.formatTime(Instant.now()));
    }

    /**
     * The events a detector writes for messages {@code seqs} of the measurements stream {@code stream}:
     * one per measurement the default rule calls an anomaly, none for a normal or a poison one.
     */
    List<Event> judge(String stream, List<Long> seqs) throws Exception {
        var jsm = nats.nc.jetStreamManagement();
        var events = new ArrayList<Event>();
        for (long seq : seqs) {
            var message = jsm.getMessage(stream, seq);
            try {
                var m = CODEC.decodeMeasurement(message.getData());
                AnomalyRule.DEFAULT.check(seq, m).ifPresent(
                        a -> events.add(new Event(stream, a, message.getTime().toInstant())));
            } catch (InvalidEventException e) {
                // a detector skips a poison measurement: no event
            }
        }
        return events;
    }

    /** Appends {@code e} on {@code subject}: its ack says where, and whether JetStream took it for a duplicate. */
    PublishAck append(String subject, Event e) throws Exception {
        return append(subject, e, CODEC.encode(e.anomaly()));
    }

    /** Appends {@code payload} with {@code e}'s headers (a payload that is no anomaly, for poison). */
    PublishAck append(String subject, Event e, byte[] payload) throws Exception {
        var headers = new Headers();
        headers.add(AnomalyEvents.MESSAGE_ID, AnomalyEvents.messageId(e.sourceStream(), e.anomaly().seq()));
        headers.add(AnomalyEvents.SOURCE_STREAM, e.sourceStream());
        headers.add(AnomalyEvents.SOURCE_SEQUENCE, Long.toString(e.anomaly().seq()));
        if (e.sourceTime() != null) {
            headers.add(AnomalyEvents.SOURCE_TIME, e.sourceTime());
        }
        return nats.js.publish(NatsMessage.builder().subject(subject).headers(headers).data(payload).build());
    }

    /** Appends every event in order; returns their sequences in the anomalies stream. */
    List<Long> appendAll(String subject, List<Event> events) throws Exception {
        var positions = new ArrayList<Long>(events.size());
        for (var e : events) {
            positions.add(append(subject, e).getSeqno());
        }
        return positions;
    }
}
