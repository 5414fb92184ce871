package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.support.Status;
import org.junit.jupiter.api.Test;

class PullStatusTest {

    private static PullStatus of(int code, String text) {
        return PullStatus.of(new Status(code, text));
    }

    @Test
    void theStatusesOfNatsServer29() {
        assertThat(of(100, "Idle Heartbeat")).isEqualTo(PullStatus.HEARTBEAT);
        assertThat(of(408, "Request Timeout")).isEqualTo(PullStatus.PULL_ENDED);
        assertThat(of(408, "Interest Expired")).isEqualTo(PullStatus.PULL_ENDED);
        assertThat(of(404, "No Messages")).isEqualTo(PullStatus.PULL_ENDED);
        assertThat(of(409, "Message Size Exceeds MaxBytes")).isEqualTo(PullStatus.PULL_ENDED_BYTES);
        assertThat(of(409, "Exceeded MaxWaiting")).isEqualTo(PullStatus.PULL_REFUSED_BUSY);
        assertThat(of(409, "Consumer Deleted")).isEqualTo(PullStatus.CONSUMER_GONE);
        assertThat(of(503, null)).isEqualTo(PullStatus.SERVER_GONE);
    }

    @Test
    void newerServersBenignOnes() {
        assertThat(of(409, "Batch Completed")).isEqualTo(PullStatus.PULL_ENDED);
        assertThat(of(409, "Leadership Change")).isEqualTo(PullStatus.PULL_ENDED);
        assertThat(of(409, "Server Shutdown")).isEqualTo(PullStatus.SERVER_GONE);
    }

    @Test
    void whatRetryingCannotFixIsFatal() {
        assertThat(of(409, "Exceeded MaxRequestBatch of 100")).isEqualTo(PullStatus.FATAL);
        assertThat(of(409, "Exceeded MaxRequestExpires of 1s")).isEqualTo(PullStatus.FATAL);
        assertThat(of(409, "Consumer is push based")).isEqualTo(PullStatus.FATAL);
        assertThat(of(409, "Something New")).isEqualTo(PullStatus.FATAL);
        assertThat(of(400, "Bad Request")).isEqualTo(PullStatus.FATAL);
        assertThat(of(100, "FlowControl Request")).as("push consumers only").isEqualTo(PullStatus.FATAL);
    }
}
