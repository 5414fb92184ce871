/**
 * NATS JetStream as {@link java.util.concurrent.Flow}: a publisher whose pulls follow demand and a
 * publishing subscriber with a bounded window of unacknowledged messages.
 *
 * <p>jnats is required {@code transitive} because this API takes and returns its types
 * ({@code Connection}, {@code JetStreamManagement}, {@code StreamInfo}); it is an automatic module
 * ({@code Automatic-Module-Name: io.nats.jnats}), hence the suppressed lint. flow-support is used
 * inside only, so it is not re-exported.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.anomalyflow.flow.nats {
    requires transitive io.nats.jnats;
    requires io.anomalyflow.flow;

    exports io.anomalyflow.flow.nats;
}
