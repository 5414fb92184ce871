package io.anomalyflow.workshop.check;

import io.anomalyflow.workshop.api.BufferStep;
import io.anomalyflow.workshop.api.DeviceFilterStep;
import io.anomalyflow.workshop.api.HistoryStep;
import io.anomalyflow.workshop.api.MulticastStep;
import io.anomalyflow.workshop.api.OperatorStep;
import io.anomalyflow.workshop.api.PublishStep;
import io.anomalyflow.workshop.api.SseStep;
import io.anomalyflow.workshop.reference.ReferenceBuffer;
import io.anomalyflow.workshop.reference.ReferenceDeviceFilter;
import io.anomalyflow.workshop.reference.ReferenceHistory;
import io.anomalyflow.workshop.reference.ReferenceMulticast;
import io.anomalyflow.workshop.reference.ReferenceOperators;
import io.anomalyflow.workshop.reference.ReferencePublish;
import io.anomalyflow.workshop.reference.ReferenceSse;
import java.util.Arrays;
import java.util.List;

/** The workshop steps that write code: their interface, both implementations and their checks. */
public enum Step {
    /** Publish after the ack. */
    S05("05", "publish to JetStream, answer only after the ack", PublishStep.class, ReferencePublish.class,
            "PublishAfterAck", "05-publish-after-ack.md", Step05PublishTest.class),
    /** The SSE subscriber. */
    S06("06", "an SSE subscriber that requests after each write", SseStep.class, ReferenceSse.class,
            "SseWriter", "06-sse-subscriber.md", Step06SseSubscriberTckTest.class, Step06SseWriterTest.class),
    /** Map and filter. */
    S07("07", "map and filter publishers", OperatorStep.class, ReferenceOperators.class,
            "MapAndFilter", "07-map-filter.md", Step07MapTckTest.class, Step07FilterTckTest.class, Step07OperatorsTest.class),
    /** Multicast. */
    S08("08", "a multicast processor: one upstream, N subscribers", MulticastStep.class, ReferenceMulticast.class,
            "Multicast", "08-multicast.md", Step08MulticastTckTest.class, Step08MulticastTest.class),
    /** Expiring history. */
    S09("09", "history for late subscribers, expiring on a clock", HistoryStep.class, ReferenceHistory.class,
            "ExpiringHistoryMap", "09-expiring-history.md", Step09HistoryTest.class),
    /** Device filter. */
    S10("10", "a per-subscriber device filter before the buffer", DeviceFilterStep.class, ReferenceDeviceFilter.class,
            "DeviceFilter", "10-device-filter.md", Step10DeviceFilterTest.class),
    /** Drop-oldest buffer. */
    S11("11", "a bounded drop-oldest buffer for a slow subscriber", BufferStep.class, ReferenceBuffer.class,
            "DropOldestBuffer", "11-drop-oldest-buffer.md", Step11BufferTckTest.class, Step11BufferTest.class);

    private final String number;
    private final String title;
    private final Class<?> stepInterface;
    private final Class<?> referenceClass;
    private final String learnerClass;
    private final String page;
    private final List<Class<?>> checks;

    Step(String number, String title, Class<?> stepInterface, Class<?> referenceClass, String learnerClass, String page,
            Class<?>... checks) {
        this.number = number;
        this.title = title;
        this.stepInterface = stepInterface;
        this.referenceClass = referenceClass;
        this.learnerClass = learnerClass;
        this.page = page;
        this.checks = List.of(checks);
    }

    /** The step of {@code stepInterface}. */
    public static Step forInterface(Class<?> stepInterface) {
        return Arrays.stream(values()).filter(s -> s.stepInterface == stepInterface).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no step has interface " + stepInterface));
    }

    /** The step numbered {@code number} ("07" or "7"). */
    public static Step forNumber(String number) {
        var n = number.length() == 1 ? "0" + number : number;
        return Arrays.stream(values()).filter(s -> s.number.equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no step " + number + " with code to write (05 to 11)"));
    }

    /** "07". */
    public String number() {
        return number;
    }

    /** What the learner builds. */
    public String title() {
        return title;
    }

    /** Our implementation, the adapter over the project's classes. */
    public Class<?> referenceClass() {
        return referenceClass;
    }

    /** The learner's class, fully qualified. */
    public String learnerClassName() {
        return "io.anomalyflow.workshop." + learnerClass;
    }

    /** The learner's source file, from the repository root. */
    public String learnerSource() {
        return "modules/workshop/src/main/java/io/anomalyflow/workshop/" + learnerClass + ".java";
    }

    /** The step's page, from the repository root. */
    public String page() {
        return "workshop/steps/" + page;
    }

    /** The check classes. */
    public List<Class<?>> checks() {
        return checks;
    }
}
