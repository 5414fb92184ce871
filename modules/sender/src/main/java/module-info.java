/**
 * The sender: device emulator and load generator, with a small web page. Runnable ({@code SenderMain})
 * and embeddable.
 */
module io.anomalyflow.sender {
    requires io.anomalyflow.app;
    requires io.anomalyflow.events;
    requires io.anomalyflow.flow;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.slf4j;

    exports io.anomalyflow.sender;
}
