package io.anomalyflow.detector;

import io.anomalyflow.flow.nats.NatsTrouble;
import io.nats.client.Connection;
import java.util.Objects;

/**
 * What the detector is doing now, for {@code /health} and the {@code reading} gauge: one immutable
 * {@link State} swapped as a whole, so a reader never sees a state with another state's reason.
 */
final class DetectorStatus {
    /** The phases of the supervisor's loop. */
    enum Phase {
        /** Connected, before the first check. */
        STARTING,
        /** The measurements' stream is missing (or does not answer): nothing to read yet. */
        WAITING,
        /** Reading and publishing. */
        READING,
        /** A failure stopped reading (anomalies not acknowledged, the stream lost): retrying after a pause. */
        PAUSED,
        /** Closed. */
        STOPPED
    }

    /**
     * @param phase   what the detector does
     * @param problem why it does not read, or why it paused, or {@code null}
     */
    record State(Phase phase, String problem) {
        State {
            Objects.requireNonNull(phase, "phase");
        }

        boolean reading() {
            return phase == Phase.READING && problem == null;
        }
    }

    private final Connection nc;
    private final NatsTrouble trouble;
    private volatile State state = new State(Phase.STARTING, "starting");

    DetectorStatus(Connection nc, NatsTrouble trouble) {
        this.nc = nc;
        this.trouble = trouble;
    }

    State current() {
        return state;
    }

    void set(Phase phase, String problem) {
        state = new State(phase, problem);
    }

    /** Reading again, the problem (if any) cleared: something was judged and stored since. */
    void cleared() {
        var s = state;
        if (s.phase() == Phase.READING && s.problem() != null) {
            state = new State(Phase.READING, null);
        }
    }

    /** Why the connection is not usable, with what the server said ("refused our credentials …"). */
    String natsProblem() {
        return trouble.reason(nc.getStatus());
    }

    boolean natsConnected() {
        return nc.getStatus() == Connection.Status.CONNECTED;
    }

    /** Up: connected, reading, no problem since the last success. */
    boolean up() {
        return natsConnected() && state.reading();
    }
}
