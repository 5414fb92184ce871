package io.anomalyflow.flow.nats;

import java.time.Instant;

/**
 * The metadata JetStream puts in the reply subject of every message it delivers to a consumer:
 * <pre>
 * v1 (nats-server 2.9): $JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;stream seq&gt;.&lt;consumer seq&gt;.&lt;time ns&gt;.&lt;pending&gt;
 * v2 (domains, 2.10+):  $JS.ACK.&lt;domain&gt;.&lt;account hash&gt;.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;stream seq&gt;.&lt;consumer seq&gt;.&lt;time ns&gt;.&lt;pending&gt;[.&lt;token&gt;]
 * </pre>
 * We read it ourselves because our pull subscription is a plain core subscription, whose messages the
 * NATS client does not parse as JetStream messages.
 *
 * @param consumerSequence increases by exactly one per delivery of one consumer: a jump means a lost
 *                         delivery (the ordered-consumer gap check)
 * @param pending          messages the consumer still has to deliver after this one
 */
record AckReply(String stream, String consumer, long delivered, long streamSequence, long consumerSequence,
                Instant timestamp, long pending) {
    private static final String PREFIX = "$JS.ACK.";

    /** Parses a reply subject; {@code null} when it is not a JetStream delivery (a status, a stray message). */
    static AckReply parse(String replyTo) {
        if (replyTo == null || !replyTo.startsWith(PREFIX)) {
            return null;
        }
        var t = replyTo.split("\\.");
        int first = switch (t.length) {
            case 9 -> 2;       // v1
            case 11, 12 -> 4;  // v2, with or without the trailing random token
            default -> -1;
        };
        if (first < 0) {
            return null;
        }
        try {
            long nanos = Long.parseLong(t[first + 5]);
            return new AckReply(t[first], t[first + 1], Long.parseLong(t[first + 2]), Long.parseLong(t[first + 3]),
                    Long.parseLong(t[first + 4]), Instant.ofEpochSecond(0, nanos), Long.parseLong(t[first + 6]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
