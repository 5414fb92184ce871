/**
 * The domain: {@code Measurement} and {@code Anomaly} records, their JSON codec and validation.
 *
 * <p>The codec streams with jackson-core's parser and generator; none of its types appear in this
 * API, so the requirement is not transitive (jackson-databind is not needed here).
 */
module io.anomalyflow.events {
    requires com.fasterxml.jackson.core;

    exports io.anomalyflow.events;
}
