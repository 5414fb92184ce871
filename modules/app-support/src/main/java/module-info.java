/**
 * What the apps share: options with environment variables, an {@code HttpServer} bootstrap and
 * router, request-body limits, Prometheus metrics.
 *
 * <p>{@code jdk.httpserver} is required {@code transitive}: handlers, exchanges and the server are
 * this API's own parameter and return types.
 */
module io.anomalyflow.app {
    requires transitive jdk.httpserver;

    exports io.anomalyflow.app;
}
