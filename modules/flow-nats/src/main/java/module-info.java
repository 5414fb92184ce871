/**
 * NATS JetStream as {@link java.util.concurrent.Flow}: a publisher whose pulls follow demand and a
 * publishing subscriber with a bounded window of unacknowledged messages.
 *
 * <p>jnats is required {@code transitive} because this API takes and returns its types
 * ({@code Connection}, {@code JetStreamManagement}, {@code StreamInfo}); it is an automatic module
 * ({@code Automatic-Module-Name: io.nats.jnats}), hence the suppressed lint. An automatic module
 * cannot declare what it needs itself: jnats logs through {@code java.util.logging}, so this module
 * requires {@code java.logging} for it. {@code java -m} happens to resolve it anyway (it binds
 * {@code System.LoggerFinder}'s provider), but a jlink image does not bind services by default.
 * flow-support is used inside only, so it is not re-exported.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.anomalyflow.flow.nats {
    requires transitive io.nats.jnats;
    requires io.anomalyflow.flow;
    requires java.logging;

    exports io.anomalyflow.flow.nats;
}
