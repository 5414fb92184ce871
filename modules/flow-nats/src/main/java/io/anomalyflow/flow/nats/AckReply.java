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
    /** v2 with its trailing token has the most: 12. */
    private static final int MAX_TOKENS = 12;

    /**
     * Parses a reply subject; {@code null} when it is not a JetStream delivery (a status, a stray message).
     * It runs for every message read, so it finds the dots in one pass and parses the numbers in place:
     * no regex, no token strings.
     */
    static AckReply parse(String replyTo) {
        if (replyTo == null || !replyTo.startsWith(PREFIX)) {
            return null;
        }
        var ends = new int[MAX_TOKENS]; // ends[i]: where token i ends (its dot, or the end of the subject)
        int tokens = 0;
        for (int i = 0; i < replyTo.length(); i++) {
            if (replyTo.charAt(i) == '.') {
                if (tokens == MAX_TOKENS - 1) {
                    return null; // more tokens than any version has
                }
                ends[tokens++] = i;
            }
        }
        ends[tokens++] = replyTo.length();
        int first = switch (tokens) {
            case 9 -> 2;       // v1
            case 11, 12 -> 4;  // v2, with or without the trailing random token
            default -> -1;
        };
        if (first < 0) {
            return null;
        }
        try {
            long nanos = number(replyTo, ends, first + 5);
            return new AckReply(token(replyTo, ends, first), token(replyTo, ends, first + 1),
                    number(replyTo, ends, first + 2), number(replyTo, ends, first + 3), number(replyTo, ends, first + 4),
                    Instant.ofEpochSecond(0, nanos), number(replyTo, ends, first + 6));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String token(String s, int[] ends, int i) {
        return s.substring(ends[i - 1] + 1, ends[i]);
    }

    private static long number(String s, int[] ends, int i) {
        return Long.parseLong(s, ends[i - 1] + 1, ends[i], 10); // throws on an empty token too
    }
}
