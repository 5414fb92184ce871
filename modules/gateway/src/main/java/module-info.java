/**
 * The gateway: HTTP ingest into NATS JetStream. Runnable ({@code GatewayMain}) and embeddable
 * ({@code Gateway.start(config)} returns an {@code AutoCloseable} handle).
 */
module io.anomalyflow.gateway {
    requires io.anomalyflow.app;
    requires io.anomalyflow.events;
    requires io.anomalyflow.flow;
    requires io.anomalyflow.flow.nats;
    requires org.slf4j;

    exports io.anomalyflow.gateway;
}
