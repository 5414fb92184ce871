package io.anomalyflow.flow.nats;

import static io.anomalyflow.flow.nats.DeliveryCheck.Verdict.GAP;
import static io.anomalyflow.flow.nats.DeliveryCheck.Verdict.NEXT;
import static io.anomalyflow.flow.nats.DeliveryCheck.Verdict.PAST_END;
import static io.anomalyflow.flow.nats.DeliveryCheck.Verdict.STALE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The read-only mode's rule for each delivery, without a server. */
class DeliveryCheckTest {
    private static final long NONE_HELD = -1;

    @Test
    void beforeAConsumerIsOpenEveryDeliveryIsStale() {
        var c = new DeliveryCheck();
        assertThat(c.check(1, 1, NONE_HELD)).isEqualTo(STALE);
        assertThat(c.expected()).isEqualTo(-1);
    }

    @Test
    void acceptsConsumerSequencesOneByOne() {
        var c = new DeliveryCheck();
        c.opened(0, 10, true);
        assertThat(c.check(1, 41, NONE_HELD)).isEqualTo(NEXT);
        assertThat(c.check(2, 42, 41)).isEqualTo(NEXT);
        assertThat(c.expected()).isEqualTo(3);
    }

    @Test
    void aJumpIsAGapAndARepeatIsOneToo() {
        var c = new DeliveryCheck();
        c.opened(0, 10, true);
        c.check(1, 1, NONE_HELD);
        assertThat(c.check(3, 3, 1)).as("consumer sequence 2 went missing").isEqualTo(GAP);

        var d = new DeliveryCheck();
        d.opened(0, 10, true);
        d.check(1, 1, NONE_HELD);
        assertThat(d.check(1, 1, 1)).as("the same delivery twice").isEqualTo(GAP);
    }

    @Test
    void afterALossTheOldConsumersDeliveriesAreStaleUntilTheNextOpens() {
        var c = new DeliveryCheck();
        c.opened(0, 10, true);
        c.check(1, 1, NONE_HELD);
        c.lost();
        assertThat(c.check(2, 2, NONE_HELD)).isEqualTo(STALE);
        c.opened(0, 9, true); // a new consumer numbers from 1 again
        assertThat(c.check(1, 2, NONE_HELD)).isEqualTo(NEXT);
    }

    @Test
    void aConsumerThatAlreadyDeliveredContinuesAfterIt() {
        var c = new DeliveryCheck();
        c.opened(7, 3, true);
        assertThat(c.check(8, 100, NONE_HELD)).isEqualTo(NEXT);
    }

    @Test
    void anEmptyStreamHasEndedBeforeItStarts() {
        var c = new DeliveryCheck();
        assertThat(c.needsEnd(true)).isTrue();
        assertThat(c.needsEnd(false)).as("not ending: no end to learn").isFalse();
        c.endAt(0);
        assertThat(c.ended()).isTrue();
        assertThat(c.needsEnd(true)).isFalse();
    }

    @Test
    void endsWhenTheLastPresentMessageIsAccepted() {
        var c = new DeliveryCheck();
        c.endAt(3);
        c.opened(0, 5, true);
        for (long s = 1; s <= 3; s++) {
            assertThat(c.check(s, s, s - 1 == 0 ? NONE_HELD : s - 1)).isEqualTo(NEXT);
            assertThat(c.ended()).as("accepted nothing yet past " + (s - 1)).isFalse();
        }
        c.accepted(2, 3);
        assertThat(c.ended()).isFalse();
        c.accepted(3, 2);
        assertThat(c.ended()).isTrue();
    }

    @Test
    void endsWhenTheConsumerHasNothingLeftAfterTheAcceptedOne() {
        var c = new DeliveryCheck();
        c.endAt(10); // with a subject filter, sequence 10 may not be ours
        c.opened(0, 2, true);
        c.check(1, 4, NONE_HELD);
        c.accepted(4, 0);
        assertThat(c.ended()).isTrue();
    }

    @Test
    void aConsumerOpenedWithNothingPendingAndNothingHeldHasEnded() {
        var c = new DeliveryCheck();
        c.endAt(5);
        c.opened(0, 0, false);
        assertThat(c.ended()).as("something is still held for the subscriber").isFalse();
        c.opened(0, 0, true);
        assertThat(c.ended()).isTrue();
    }

    @Test
    void aDeliveryPastTheEndEndsTheReadOrCutsItAtWhatIsHeld() {
        var c = new DeliveryCheck();
        c.endAt(5);
        c.opened(0, 10, true);
        assertThat(c.check(1, 6, NONE_HELD)).isEqualTo(PAST_END);
        assertThat(c.ended()).as("nothing held: the read is over").isTrue();

        var d = new DeliveryCheck();
        d.endAt(5);
        d.opened(0, 10, true);
        assertThat(d.check(1, 3, NONE_HELD)).isEqualTo(NEXT);
        assertThat(d.check(2, 7, 3)).isEqualTo(PAST_END);
        assertThat(d.ended()).as("3 is still held").isFalse();
        d.accepted(3, 5);
        assertThat(d.ended()).as("3 is now the end").isTrue();
    }

    /**
     * Random losses, duplicates and consumer replacements: whatever the server does, the deliveries the
     * check calls NEXT, resumed after the last one each time, are the stream in order, once each.
     */
    @Test
    void underRandomTroubleWhatPassesIsTheStreamInOrder() {
        var random = new SplittableRandom(17);
        for (int run = 0; run < 200; run++) {
            var c = new DeliveryCheck();
            long last = 1 + random.nextInt(500);
            c.endAt(last);
            var passed = new ArrayList<Long>();
            long resumeAfter = 0;
            int consumers = 0;
            while (!c.ended()) {
                assertThat(++consumers).as("run " + run + " makes progress").isLessThan(10_000);
                c.opened(0, last - resumeAfter, true);
                long consumerSeq = 1;
                long streamSeq = resumeAfter + 1;
                boolean replaced = false;
                while (!replaced && !c.ended()) {
                    int event = random.nextInt(20);
                    long sentConsumerSeq = consumerSeq;
                    if (event == 0) {
                        sentConsumerSeq = consumerSeq + 1 + random.nextInt(3); // lost ones
                    } else if (event == 1 && consumerSeq > 1) {
                        sentConsumerSeq = consumerSeq - 1; // a repeat
                    }
                    var verdict = c.check(sentConsumerSeq, streamSeq, NONE_HELD);
                    if (verdict == GAP) {
                        c.lost();
                        assertThat(c.check(sentConsumerSeq + 1, streamSeq + 1, NONE_HELD)).isEqualTo(STALE);
                        replaced = true;
                    } else if (verdict == NEXT) {
                        passed.add(streamSeq);
                        c.accepted(streamSeq, last - streamSeq);
                        resumeAfter = streamSeq;
                        consumerSeq++;
                        streamSeq++;
                    } else {
                        assertThat(verdict).isEqualTo(PAST_END);
                    }
                }
            }
            var expected = new ArrayList<Long>();
            for (long s = 1; s <= last; s++) {
                expected.add(s);
            }
            assertThat(passed).as("run " + run).isEqualTo(expected);
        }
    }
}
