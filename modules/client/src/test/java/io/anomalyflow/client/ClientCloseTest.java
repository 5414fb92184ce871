package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What {@link AnomalyClient#close()} has finished when it returns (real nats-server). */
class ClientCloseTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();

    private final TestNats nats = F.nats();

    /**
     * The client's consumer is deleted before {@code close()} returns, not left on the server until
     * its inactivity threshold (minutes) deletes it: the reading thread deletes it, so close waits
     * for that thread before it closes the connection the delete goes through.
     */
    @Test
    void closeDeletesTheConsumerBeforeItReturns() throws Exception {
        for (int round = 0; round < 8; round++) {
            var s = F.start();
            await().atMost(ClientFixture.WAIT).until(() -> TestNats.consumers(nats.nc, s.stream()).size() == 1);
            s.client().close();
            assertThat(TestNats.consumers(nats.nc, s.stream())).as("consumers left after close, round " + round).isEmpty();
        }
    }
}
