/**
 * The client: JetStream to anomalies, an expiring map, the HTTP list, SSE and the web page. Runnable
 * ({@code ClientMain}) and embeddable ({@code AnomalyClient.start(config)} returns an
 * {@code AutoCloseable} handle).
 */
module io.anomalyflow.client {
    requires io.anomalyflow.app;
    requires io.anomalyflow.events;
    requires io.anomalyflow.flow;
    requires io.anomalyflow.flow.nats;
    requires org.slf4j;

    exports io.anomalyflow.client;
}
