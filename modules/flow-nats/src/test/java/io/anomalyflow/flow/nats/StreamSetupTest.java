package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The foundation test: the measurements stream as the gateway creates it, de-duplication by
 * {@code Nats-Msg-Id}, and durability across a server restart, on a real nats-server.
 */
@ExtendWith(NatsServerExtension.class)
class StreamSetupTest {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void designStreamDeduplicatesAndSurvivesARestart(NatsServer nats) throws Exception {
        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test")); var appender = JetStreamAppender.create(nc, 16, ACK_TIMEOUT)) {
            var info = StreamSetup.ensure(TestNats.jsm(nc), StreamSpec.of("MEASUREMENTS", "measurements"));
            var config = info.getConfiguration();
            assertThat(config.getSubjects()).containsExactly("measurements");
            assertThat(config.getStorageType()).isEqualTo(StorageType.File);
            assertThat(config.getMaxAge()).isEqualTo(Duration.ofHours(24));
            assertThat(config.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));

            var body = "{\"id\":\"m-1\",\"deviceId\":\"7\",\"measurementValue\":12.5}".getBytes(StandardCharsets.UTF_8);
            var first = appender.append(new OutgoingMessage("measurements", "m-1", body)).get();
            var second = appender.append(new OutgoingMessage("measurements", "m-1", body)).get();
            assertThat(first).isEqualTo(new PublishAck(1, false));
            assertThat(second).as("same Nats-Msg-Id: stored once, the ack names the first").isEqualTo(new PublishAck(1, true));
            assertThat(TestNats.messageCount(nc, "MEASUREMENTS")).isEqualTo(1);
        }

        nats.restart(); // same port, same store

        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test"))) {
            assertThat(TestNats.messageCount(nc, "MEASUREMENTS")).isEqualTo(1);
            var stored = TestNats.jsm(nc).getMessage("MEASUREMENTS", 1);
            assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).contains("\"m-1\"");
            assertThat(stored.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("m-1");
            // and setting up again accepts the stream as it is
            assertThat(StreamSetup.ensure(TestNats.jsm(nc), StreamSpec.of("MEASUREMENTS", "measurements"))
                    .getStreamState().getMsgCount()).isEqualTo(1);
        }
    }

    /**
     * Writers starting at the same moment all find the stream missing and all create it: the losers
     * must accept the winner's stream. nats-server answers a loser either "name in use" or "subjects
     * overlap with an existing stream", depending on which check it meets first.
     */
    @Test
    void writersRacingToCreateTheStreamAllGetIt(NatsServer nats) throws Exception {
        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test"));
             var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var jsm = TestNats.jsm(nc);
            var writers = new java.util.ArrayList<io.nats.client.Connection>(); // one connection each, as processes have
            for (int i = 0; i < 4; i++) {
                writers.add(TestNats.open(NatsConnections.options(nats.url(), "writer-" + i)));
            }
            for (int round = 0; round < 100; round++) {
                var spec = StreamSpec.of("RACE" + round, "race." + round).withStorage(io.nats.client.api.StorageType.Memory);
                var start = new java.util.concurrent.CountDownLatch(1);
                var results = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (var writer : writers) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return StreamSetup.ensure(TestNats.jsm(writer), spec);
                    }));
                }
                start.countDown();
                for (var r : results) {
                    assertThat(r.get()).as("round %d", round).isNotNull();
                }
                jsm.deleteStream(spec.name());
            }
            for (var w : writers) {
                w.close();
            }
        }
    }

    /**
     * A server that stops answering for a while (paused with SIGSTOP: requests time out, as they do while a
     * fresh cluster elects its leaders) fails a plain setup, and the setup given patience waits it out.
     */
    @Test
    void setupWithPatienceWaitsOutAServerThatDoesNotAnswerForAWhile(NatsServer nats) throws Exception {
        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test"));
             var pool = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            var jsm = nc.jetStreamManagement(io.nats.client.JetStreamOptions.builder()
                    .requestTimeout(Duration.ofMillis(300)).build());
            var spec = StreamSpec.of("PATIENT", "patient");
            nats.pause();
            try {
                assertThatThrownBy(() -> StreamSetup.ensure(jsm, spec))
                        .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("did not answer");
                var patient = pool.submit(() -> StreamSetup.ensure(jsm, spec, Duration.ofSeconds(60)));
                Thread.sleep(1_000); // the outage lasts a few request timeouts
                assertThat(patient).as("still waiting while the server is paused").isNotDone();
                nats.resume();
                assertThat(patient.get(60, java.util.concurrent.TimeUnit.SECONDS).getConfiguration().getName())
                        .isEqualTo("PATIENT");
            } finally {
                nats.resume();
            }
            assertThatThrownBy(() -> {
                nats.pause();
                try {
                    StreamSetup.ensure(jsm, StreamSpec.of("IMPATIENT", "impatient"), Duration.ofSeconds(1));
                } finally {
                    nats.resume();
                }
            }).isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("within 1 s")
                    .hasMessageContaining("-js");
        }
    }

    @Test
    void aCompatibleExistingStreamIsAcceptedAsItIs(NatsServer nats) throws Exception {
        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test"))) {
            var jsm = TestNats.jsm(nc);
            jsm.addStream(StreamConfiguration.builder().name("WIDE").subjects("wide", "wide.>")
                    .storageType(StorageType.File).maxAge(Duration.ofDays(7)).duplicateWindow(Duration.ofMinutes(5)).build());
            var info = StreamSetup.ensure(jsm, StreamSpec.of("WIDE", "wide"));
            assertThat(info.getConfiguration().getMaxAge()).as("not changed").isEqualTo(Duration.ofDays(7));
            assertThat(info.getConfiguration().getSubjects()).containsExactly("wide", "wide.>");
        }
    }

    @Test
    void anIncompatibleStreamIsRefusedNamingTheDifference(NatsServer nats) throws Exception {
        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test"))) {
            var jsm = TestNats.jsm(nc);
            jsm.addStream(StreamConfiguration.builder().name("OTHER").subjects("elsewhere")
                    .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(2)).build());
            assertThatThrownBy(() -> StreamSetup.ensure(jsm, StreamSpec.of("OTHER", "measurements")))
                    .isInstanceOf(IncompatibleStreamException.class)
                    .hasMessageContaining("stream OTHER exists but is incompatible")
                    .hasMessageContaining("subjects are [elsewhere], which do not cover [measurements]");
            assertThat(jsm.getStreamInfo("OTHER").getConfiguration().getSubjects())
                    .as("left untouched").containsExactly("elsewhere");
        }
    }

    @Test
    void memoryStorageOnRequest(NatsServer nats) throws Exception {
        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test"))) {
            var info = StreamSetup.ensure(TestNats.jsm(nc), StreamSpec.of("MEM", "mem").withStorage(StorageType.Memory));
            assertThat(info.getConfiguration().getStorageType()).isEqualTo(StorageType.Memory);
            assertThatThrownBy(() -> StreamSetup.ensure(TestNats.jsm(nc), StreamSpec.of("MEM", "mem")))
                    .hasMessageContaining("storage is Memory, wanted File");
        }
    }
}
