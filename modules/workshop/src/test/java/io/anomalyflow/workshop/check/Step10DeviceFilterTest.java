package io.anomalyflow.workshop.check;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.workshop.api.DeviceFilterStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Step 10: the reader of a quiet device behind a noisy one. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Step10DeviceFilterTest {
    private final Duration patience = Implementations.patience(Duration.ofSeconds(10));
    private final DeviceFilterStep step = Implementations.of(DeviceFilterStep.class);

    @Test
    @DisplayName("only the reader's devices reach it, and the other devices' traffic never takes their room in its buffer")
    void filterBeforeTheBuffer() {
        var items = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            items.add("quiet-" + i);
            for (int j = 0; j < 300; j++) {
                items.add("noisy-" + (i * 300 + j));
            }
        }
        var reader = TestSubscriber.<String>create(0); // slow: asks for nothing while the stream runs
        step.view(Flows.fromIterable(items), s -> s.startsWith("quiet-"), 5).subscribe(reader);
        reader.awaitSubscribed(patience).request(10);
        reader.awaitTerminated(patience).assertValues(List.of("quiet-0", "quiet-1", "quiet-2")).assertComplete()
                .assertNoViolations();
    }

    @Test
    @DisplayName("the reader's buffer is still bounded: of its own devices' items it keeps the newest")
    void stillBounded() {
        var items = new ArrayList<String>();
        for (int i = 0; i < 100; i++) {
            items.add("quiet-" + i);
            items.add("noisy-" + i);
        }
        var reader = TestSubscriber.<String>create(0);
        step.view(Flows.fromIterable(items), s -> s.startsWith("quiet-"), 5).subscribe(reader);
        reader.awaitSubscribed(patience).request(100);
        reader.awaitTerminated(patience).assertValues(List.of("quiet-95", "quiet-96", "quiet-97", "quiet-98", "quiet-99"))
                .assertComplete().assertNoViolations();
    }
}
