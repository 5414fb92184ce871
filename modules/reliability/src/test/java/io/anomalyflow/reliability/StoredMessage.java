package io.anomalyflow.reliability;

/**
 * One message as the stream holds it, read back with our own consumer.
 *
 * @param seq   its stream sequence
 * @param msgId its {@code Nats-Msg-Id} header, or {@code null} when it has none
 * @param data  its payload, as stored
 */
record StoredMessage(long seq, String msgId, byte[] data) {
}
