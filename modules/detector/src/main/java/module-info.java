/**
 * The detector: anomaly detection as an elastic tier. Runnable ({@code DetectorMain}) and embeddable
 * ({@code Detector.start(config)} returns an {@code AutoCloseable} handle).
 */
module io.anomalyflow.detector {
    requires io.anomalyflow.app;
    requires io.anomalyflow.events;
    requires io.anomalyflow.flow;
    requires io.anomalyflow.flow.nats;
    requires org.slf4j;

    exports io.anomalyflow.detector;
}
