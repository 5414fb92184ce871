/**
 * The hand-written {@link java.util.concurrent.Flow} toolkit: sources, operators, a multicast hub with
 * replay, bounded buffers ({@code io.anomalyflow.flow}), and a Server-Sent-Events subscriber for the
 * JDK's {@code com.sun.net.httpserver} ({@code io.anomalyflow.flow.sse}).
 *
 * <p>{@code jdk.httpserver} is required {@code static transitive}. Static: only the SSE package uses
 * it, and a caller of that package already holds an {@code HttpExchange}, so its own module has
 * {@code jdk.httpserver} resolved, and this module then reads it; an embedder of the core package
 * alone can leave it out of a jlink image. Transitive: {@code HttpExchange} is in the SSE package's
 * signatures, so a module that reads this one reads {@code jdk.httpserver} too.
 */
module io.anomalyflow.flow {
    requires static transitive jdk.httpserver;

    exports io.anomalyflow.flow;
    exports io.anomalyflow.flow.sse;
}
