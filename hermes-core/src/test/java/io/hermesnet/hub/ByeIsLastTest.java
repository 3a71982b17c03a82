package io.hermesnet.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code BYE} is a client's last line (docs/protocol.md §2, §3.8, §3.9) even when the client is slow to read it:
 * between the write of {@code BYE} and the close, nothing the client sends is answered and no
 * broadcast reaches it. {@link HeldWrites} keeps the {@code BYE} unflushed for that window.
 */
class ByeIsLastTest {
    private final TestClients clients = new TestClients(TestClients.quietConfig().maxLineBytes(64).build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void duringShutdownNothingIsAnsweredOrBroadcastAfterBye() {
        HeldWrites slowA = new HeldWrites();
        HeldWrites slowB = new HeldWrites();
        TestClient a = clients.connect(ch -> ch.pipeline().addFirst(slowA));
        TestClient b = clients.connect(ch -> ch.pipeline().addFirst(slowB));
        slowA.release();
        slowB.release();
        clients.drainAll();
        HeldWrites slowA2 = new HeldWrites();
        HeldWrites slowB2 = new HeldWrites();
        a.channel().pipeline().addFirst(slowA2);
        b.channel().pipeline().addFirst(slowB2);

        clients.hub().shutdown("Thank you"); // both BYEs are written, neither is flushed yet
        b.send("a chat line while the server shuts down");
        b.send("/nick late");
        a.send("/who");
        a.send("/rank");
        a.send("x".repeat(100));
        a.sendBytes(new byte[] {(byte) 0xc0, (byte) 0x80, '\n'});

        assertEquals(List.of("BYE Thank you"), slowA2.heldLines(), "nothing is written after BYE");
        assertEquals(List.of("BYE Thank you"), slowB2.heldLines(), "nothing is written after BYE");
        slowA2.release();
        slowB2.release();
        assertEquals(List.of("BYE Thank you"), a.lines());
        assertEquals(List.of("BYE Thank you"), b.lines());
        assertFalse(a.isOpen());
        assertFalse(b.isOpen());
    }

    @Test
    void afterLogoutNothingIsAnsweredEvenACodecRefusal() {
        HeldWrites slow = new HeldWrites();
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll();
        a.channel().pipeline().addFirst(slow);

        a.sendBytes(("/quit\n" + "y".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8));
        a.sendBytes(new byte[] {'b', 'a', 'd', (byte) 0xc0, (byte) 0x80, '\n'});
        a.send("/who");

        assertEquals(List.of("BYE Goodbye"), slow.heldLines(), "nothing is written after BYE");
        slow.release();
        assertEquals(List.of("BYE Goodbye"), a.lines());
        assertFalse(a.isOpen());
        assertEquals(List.of("LEAVE 1 client1 logout", "CLIENTS 1", "RANK 0"), b.lines());
    }
}
