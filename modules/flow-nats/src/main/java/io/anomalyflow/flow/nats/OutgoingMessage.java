package io.anomalyflow.flow.nats;

import io.nats.client.impl.Headers;
import java.util.Objects;

/**
 * A message to append to a stream.
 *
 * @param subject   the subject to publish on (it selects the stream)
 * @param messageId the {@code Nats-Msg-Id} header, or {@code null} for none: within the stream's duplicate
 *                  window a second message with the same id is not stored again, and its ack says
 *                  {@code duplicate} with the first one's sequence
 * @param data      the payload, not copied (do not change it until the append completed)
 * @param headers   more headers to send, or {@code null} for none; not copied (do not change them until
 *                  the append completed); the message id goes in {@code messageId}, not here
 */
public record OutgoingMessage(String subject, String messageId, byte[] data, Headers headers) {
    public OutgoingMessage {
        if (subject == null || subject.isBlank() || subject.contains(" ")) {
            throw new IllegalArgumentException("subject must be a NATS subject: '" + subject + "'");
        }
        if (messageId != null && messageId.isBlank()) {
            throw new IllegalArgumentException("messageId must be null or non-blank");
        }
        Objects.requireNonNull(data, "data");
        if (headers != null && headers.isEmpty()) {
            headers = null;
        }
    }

    /** A message without headers other than the message id. */
    public OutgoingMessage(String subject, String messageId, byte[] data) {
        this(subject, messageId, data, null);
    }

    @Override
    public String toString() {
        return "OutgoingMessage[" + subject + ", id=" + messageId + ", " + data.length + " bytes"
                + (headers == null ? "" : ", headers " + headers.keySet()) + "]";
    }
}
