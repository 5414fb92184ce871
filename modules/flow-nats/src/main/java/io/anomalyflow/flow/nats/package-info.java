/**
 * NATS JetStream as {@link java.util.concurrent.Flow}: the workshop's {@code reactor-nats-streaming},
 * rebuilt for Flow and JetStream.
 *
 * <ul>
 *   <li>{@link io.anomalyflow.flow.nats.JetStreamPublisher} — a cold, unicast {@code Flow.Publisher} whose
 *       pull requests follow downstream demand ({@code request(n)} → pulls of at most {@code n}); ordered,
 *       gap-free and duplicate-free per subscriber, across server restarts and reconnects.</li>
 *   <li>{@link io.anomalyflow.flow.nats.JetStreamAppender} — {@code publishAsync} with a bounded window of
 *       unacknowledged messages and an ack timeout that never hangs.</li>
 *   <li>{@link io.anomalyflow.flow.nats.JetStreamSink} — a {@code Flow.Subscriber} that publishes every item
 *       through the appender with at most {@code W} acks outstanding and reports each item's outcome.</li>
 *   <li>{@link io.anomalyflow.flow.nats.StreamSetup} and {@link io.anomalyflow.flow.nats.NatsConnections} —
 *       the stream the gateway writes to and the connection options every component uses.</li>
 * </ul>
 *
 * <p>Verified against nats-server 2.9.10; nothing here needs a newer server.
 */
package io.anomalyflow.flow.nats;
