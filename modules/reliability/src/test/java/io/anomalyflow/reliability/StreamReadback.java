package io.anomalyflow.reliability;

import io.anomalyflow.flow.nats.NatsConnections;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stream back with a consumer of our own (jnats, an ordered consumer: no state left on the
 * server), independently of the apps under test: the ledger's view of what is really stored.
 * Stateless; each call opens and closes its own connection.
 */
final class StreamReadback {
    private static final Duration NEXT_TIMEOUT = Duration.ofSeconds(10);

    private StreamReadback() {
    }

    /** The stream's last sequence now (0 when empty): the baseline of a run on a shared stream. */
    static long lastSeq(String natsUrl, String stream) throws Exception {
        try (var nc = connect(natsUrl)) {
            return info(nc, stream).getStreamState().getLastSequence();
        }
    }

    /**
     * Every message with a sequence above {@code afterSeq}, up to the stream's last sequence at the
     * time of the call, in order. Fails when a message does not arrive within 10 s.
     */
    static List<StoredMessage> readAfter(String natsUrl, String stream, long afterSeq) throws Exception {
        try (var nc = connect(natsUrl)) {
            var state = info(nc, stream).getStreamState();
            long last = state.getLastSequence();
            var messages = new ArrayList<StoredMessage>();
            if (last <= afterSeq || state.getMsgCount() == 0) {
                return messages;
            }
            var config = new OrderedConsumerConfiguration()
                    .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(Math.max(1, afterSeq + 1));
            var consumer = nc.getStreamContext(stream).createOrderedConsumer(config);
            try (var iterator = consumer.iterate()) {
                long seq = afterSeq;
                while (seq < last) {
                    var m = iterator.nextMessage(NEXT_TIMEOUT);
                    if (m == null) {
                        throw new AssertionError("stream " + stream + ": nothing after seq " + seq + " within "
                                + NEXT_TIMEOUT + ", though its last seq is " + last);
                    }
                    seq = m.metaData().streamSequence();
                    var headers = m.getHeaders();
                    var msgId = headers == null ? null : headers.getFirst("Nats-Msg-Id");
                    messages.add(new StoredMessage(seq, msgId, m.getData()));
                }
            }
            return messages;
        }
    }

    /** A connection with the apps' options (flow-nats {@link NatsConnections}); the caller closes it. */
    static Connection connect(String natsUrl) throws IOException, InterruptedException {
        return Nats.connect(NatsConnections.options(natsUrl, "reliability-ledger").build());
    }

    static StreamInfo info(Connection nc, String stream) throws IOException, JetStreamApiException {
        return nc.jetStreamManagement().getStreamInfo(stream);
    }
}
