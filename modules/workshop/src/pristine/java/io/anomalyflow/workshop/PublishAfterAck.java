package io.anomalyflow.workshop;

import io.anomalyflow.workshop.api.PublishStep;
import io.nats.client.Connection;
import java.util.concurrent.CompletableFuture;

/**
 * Step 05 (workshop/steps/05-publish-after-ack.md): publish to JetStream and answer only after the
 * acknowledgement. The gateway answers 200 from such a future, so a success here is a promise to the
 * device that its measurement is stored.
 */
public final class PublishAfterAck implements PublishStep {
    /** Creates the step; it keeps no state (the connection is passed to each call). */
    public PublishAfterAck() {
    }

    @Override
    public CompletableFuture<Long> publish(Connection nc, String subject, byte[] data) {
        // TODO 05a: get the JetStream context of the connection (nc.jetStream()); it can throw
        //           IOException: that is a failed future, not a thrown exception.
        // TODO 05b: publish asynchronously (publishAsync) and complete with the ack's stream
        //           sequence (PublishAck.getSeqno()), only once the ack arrived.
        // TODO 05c: when the publish fails (no stream on the subject answers "no responders",
        //           a timeout, an error ack), the returned future must fail too.
        return CompletableFuture.completedFuture(0L); // TODO 05: answers at once, stored or not
    }
}
