package io.anomalyflow.flow.nats;

import java.util.List;

/**
 * {@link StreamSetup#ensure} found a stream with the wanted name whose configuration cannot serve the
 * wanted one. The message names every difference; {@link #differences()} lists them one by one.
 */
public final class IncompatibleStreamException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String stream;
    private final List<String> differences;

    public IncompatibleStreamException(String stream, List<String> differences) {
        super("stream " + stream + " exists but is incompatible: " + String.join("; ", differences)
                + ". Change or delete it (nats stream edit/rm " + stream + "), or configure another stream name.");
        this.stream = stream;
        this.differences = List.copyOf(differences);
    }

    public String stream() {
        return stream;
    }

    /** One human-readable line per difference, e.g. {@code "storage is Memory, wanted File"}. */
    public List<String> differences() {
        return differences;
    }
}
