package io.anomalyflow.client;

import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class StreamIdentityTest {
    private static final ZonedDateTime CREATED = ZonedDateTime.parse("2026-11-26T12:00:00Z");

    @Test
    void theFirstStreamIsNeverARecreation() {
        assertThat(new StreamIdentity().recreated(CREATED, 0, 500)).isFalse();
    }

    @Test
    void theSameStreamAgainIsNotARecreation() {
        var identity = new StreamIdentity();
        identity.recreated(CREATED, 100, 0);

        assertThat(identity.recreated(CREATED, 100, 100)).as("read up to its last message").isFalse();
        assertThat(identity.recreated(CREATED, 250, 100)).as("it grew meanwhile").isFalse();
    }

    @Test
    void anotherCreationTimeIsARecreation() {
        var identity = new StreamIdentity();
        identity.recreated(CREATED, 100, 0);

        assertThat(identity.recreated(CREATED.plusSeconds(1), 500, 100)).isTrue();
        assertThat(identity.recreated(CREATED.plusSeconds(1), 500, 0))
                .as("the new stream is the one remembered now").isFalse();
    }

    @Test
    void fewerMessagesThanWereReadIsARecreation() {
        // a re-created stream within the server's clock resolution: only its sequences give it away
        var identity = new StreamIdentity();
        identity.recreated(CREATED, 100, 0);

        assertThat(identity.recreated(CREATED, 3, 100)).isTrue();
    }
}
