package io.anomalyflow.flow.nats;

import java.util.Objects;

/**
 * A message to append to a stream.
 *
 * @param subject   the subject to publish on (it selects the stream)
 * @param messageId the {@code Nats-Msg-Id} header, or {@code null} for none: within the stream's duplicate
 *                  window a second message with the same id is not stored again, and its ack says
 *                  {@code duplicate} with the first one's sequence
 * @param data      the payload, not copied (do not change it until the append completed)
 */
public record OutgoingMessage(String subject, String messageId, byte[] data) {
    public OutgoingMessage {
        if (subject == null || subject.isBlank() || subject.contains(" ")) {
            throw new IllegalArgumentException("subject must be a NATS subject: '" + subject + "'");
        }
        if (messageId != null && messageId.isBlank()) {
            throw new IllegalArgumentException("messageId must be null or non-blank");
        }
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "OutgoingMessage[" + subject + ", id=" + messageId + ", " + data.length + " bytes]";
    }
}
