package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AckReplyTest {

    @Test
    void parsesTheV1FormatOfNatsServer29() {
        // seen on nats-server 2.9.10
        var a = AckReply.parse("$JS.ACK.S.mcJ7W6kUT5OUWNaNDLZTaa.1.4.3.1795703838889899373.2");
        assertThat(a).isEqualTo(new AckReply("S", "mcJ7W6kUT5OUWNaNDLZTaa", 1, 4, 3,
                Instant.ofEpochSecond(1795703838L, 889899373L), 2));
    }

    @Test
    void parsesTheV2FormatWithAndWithoutTheTrailingToken() {
        var withToken = AckReply.parse("$JS.ACK.hub.ACCHASH.ORDERS.c1.2.100.7.1700000000000000001.5.xyz");
        var without = AckReply.parse("$JS.ACK.hub.ACCHASH.ORDERS.c1.2.100.7.1700000000000000001.5");
        var expected = new AckReply("ORDERS", "c1", 2, 100, 7, Instant.ofEpochSecond(1700000000L, 1), 5);
        assertThat(withToken).isEqualTo(expected);
        assertThat(without).isEqualTo(expected);
    }

    @Test
    void anythingElseIsNotADelivery() {
        assertThat(AckReply.parse(null)).isNull();
        assertThat(AckReply.parse("")).isNull();
        assertThat(AckReply.parse("_INBOX.abc.1")).isNull();
        assertThat(AckReply.parse("$JS.ACK.S.c.1.2.3.4")).as("v0 has no pending count: not ours").isNull();
        assertThat(AckReply.parse("$JS.ACK.S.c.1.x.3.4.5")).as("not a number").isNull();
        assertThat(AckReply.parse("$JS.ACK.S.c.1..3.4.5")).as("an empty number").isNull();
        assertThat(AckReply.parse("$JS.ACK.S.c.1.2.3.4.")).as("an empty last token").isNull();
        assertThat(AckReply.parse("$JS.ACK.a.b.c.d.1.2.3.4.5.6.7")).as("13 tokens: no version has that many").isNull();
        assertThat(AckReply.parse("$JS.ACK.a.b.S.c.1.2.3.4.5.t.u.v.w")).as("far too many tokens").isNull();
    }
}
