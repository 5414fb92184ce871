package io.anomalyflow.workshop.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.anomalyflow.testsupport.NatsServerExtension;
import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.workshop.api.PublishStep;
import io.nats.client.Options;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Step 05 against a real nats-server: an ack means stored, no ack means a failed future, and never a
 * success for a message the stream does not hold.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Step05PublishTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();
    private static TestNats nats;
    private final PublishStep step = Implementations.of(PublishStep.class);

    @BeforeAll
    static void connect() throws Exception {
        nats = TestNats.connect(new Options.Builder().server(NATS.server().url()));
        nats.createStream("WS05", "ws05.>");
        TestNats.jsm(nats.nc).addStream(StreamConfiguration.builder().name("WS05ONE").subjects("ws05one")
                .storageType(StorageType.Memory).maxMessages(1).discardPolicy(DiscardPolicy.New).build());
    }

    @AfterAll
    static void close() {
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    @DisplayName("an ack means stored: each future completes with the sequence that holds its message")
    void completesWithTheStoredSequence() throws Exception {
        var futures = new ArrayList<CompletableFuture<Long>>();
        for (int i = 0; i < 20; i++) {
            futures.add(step.publish(nats.nc, "ws05.m", ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        var seen = new HashSet<Long>();
        for (int i = 0; i < futures.size(); i++) {
            long seq = settle(futures.get(i), "publish " + i);
            assertThat(seq).as("the sequence of message m%d (an ack carries the stream sequence, from 1)", i).isPositive();
            var stored = TestNats.jsm(nats.nc).getMessage("WS05", seq);
            assertThat(new String(stored.getData(), StandardCharsets.UTF_8))
                    .as("the message the stream holds at sequence %d", seq).isEqualTo("m" + i);
            seen.add(seq);
        }
        assertThat(seen).as("one sequence per message").hasSize(20);
    }

    @Test
    @DisplayName("no stream on the subject: the future fails (never a success for what is not stored)")
    void failsWithoutAStream() {
        var future = step.publish(nats.nc, "nostream.ws05", "lost".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> settle(future, "a publish nobody stores"))
                .as("a publish to a subject no stream listens on must fail its future")
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    @DisplayName("the stream refuses the message (full, discard new): the future fails")
    void failsOnAnErrorAck() throws Exception {
        settle(step.publish(nats.nc, "ws05one", "first".getBytes(StandardCharsets.UTF_8)), "the first message");
        var refused = step.publish(nats.nc, "ws05one", "second".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> settle(refused, "a publish the stream refuses"))
                .as("JetStream answered with an error ack (maximum messages exceeded): the future must fail")
                .isInstanceOf(ExecutionException.class);
        assertThat(TestNats.messageCount(nats.nc, "WS05ONE")).as("messages the full stream holds").isEqualTo(1);
    }

    private static long settle(CompletableFuture<Long> future, String what) throws ExecutionException, InterruptedException {
        if (future == null) {
            fail("publish returned null instead of a future");
        }
        try {
            var seq = future.get(20, TimeUnit.SECONDS);
            if (seq == null) {
                fail(what + ": the future completed with null, not a sequence");
            }
            return seq;
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": the future did not complete within 20 s (it must complete or fail once"
                    + " JetStream answered, or its ack timed out)", e);
        }
    }
}
