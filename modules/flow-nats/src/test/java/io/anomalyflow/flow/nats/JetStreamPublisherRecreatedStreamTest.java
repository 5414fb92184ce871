package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.testsupport.TestNats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream deleted and created again under a live reader: the new stream's sequences start at 1
 * again, so resuming "after the last sequence read" would skip its first messages. The reader ends
 * with an error that says so, and its owner decides how to start over.
 */
class JetStreamPublisherRecreatedStreamTest extends StreamTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    protected String prefix() {
        return "recreated";
    }

    @Test
    void aLiveReaderEndsWithAnErrorWhenItsStreamIsReCreatedRatherThanSkipTheNewStreamsFirstMessages() throws Exception {
        TestNats.fill(nc, stream, subject, 3, 3);
        for (var filter : List.of(false, true)) { // with a filter subject the reader takes another path to its start
            var options = JetStreamPublisher.Options.builder(stream);
            if (filter) {
                options.filterSubject(subject);
            }
            var ts = TestSubscriber.<StreamMessage>create(3); // then no demand: no pull is open while the stream is away
            JetStreamPublisher.create(nc, options.build()).subscribe(ts);
            ts.awaitCount(3, WAIT);

            TestNats.jsm(nc).deleteStream(stream);
            StreamSetup.ensure(TestNats.jsm(nc), StreamSpec.of(stream, subject, subject + ".>"));
            TestNats.fill(nc, stream, subject, 5, 5);
            ts.request(10);

            ts.awaitTerminated(WAIT).assertError(JetStreamReadException.class).assertNoViolations();
            assertThat(ts.error()).as("filter " + filter).hasMessageContaining("re-created");
            assertThat(ts.values()).as("nothing of the new stream was taken for a continuation of the old").hasSize(3);
            TestNats.jsm(nc).deleteStream(stream);
            StreamSetup.ensure(TestNats.jsm(nc), StreamSpec.of(stream, subject, subject + ".>"));
            TestNats.fill(nc, stream, subject, 3, 3);
        }
    }
}
