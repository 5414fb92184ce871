package io.anomalyflow.sender;

/** What {@link RunEvents} tells a watcher of a run, in this order: started, progressed (0 or more), finished. */
public sealed interface RunEvent {
    /** The run exists: its id and where it sends. */
    record Started(String runId, String target) implements RunEvent {
    }

    /** A snapshot of the counters. */
    record Progressed(Progress progress) implements RunEvent {
    }

    /** The run is over: its summary. The last event. */
    record Finished(Summary summary) implements RunEvent {
    }
}
