package io.hermesnet.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client is a member before anyone can know of it (docs/protocol.md §3.1, §3.4): chat relayed once the others
 * have been sent its {@code JOIN} reaches the newcomer. ({@code WELCOME} is queued before the newcomer
 * joins its room, so it stays the first line even when chat is relayed to it at once.)
 * The chat fan-out outside turn mode takes no lock, so on a real server another event loop may relay
 * a line at exactly that moment; the tests relay it from inside the write of that line to the socket.
 */
class JoinVisibilityTest {
    private final TestClients clients = new TestClients(TestClients.quietConfig().build());

    @AfterEach
    void release() {
        clients.close();
    }

    /**
     * Runs {@code action} once, right after the first buffer that starts with {@code prefix} goes to the
     * socket (the write coalescer sends a flush's lines as one buffer).
     */
    private static final class AfterLine extends ChannelOutboundHandlerAdapter {
        private final String prefix;
        private Runnable action;

        AfterLine(String prefix, Runnable action) {
            this.prefix = prefix;
            this.action = action;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean match = action != null && msg instanceof ByteBuf buf && buf.toString(StandardCharsets.UTF_8).startsWith(prefix);
            ctx.write(msg, promise);
            if (match) {
                Runnable run = action;
                action = null;
                run.run();
            }
        }
    }

    @Test
    void chatRelayedRightAfterJoinReachesTheNewcomer() {
        TestClient a = clients.connect();
        a.lines();
        a.channel().pipeline().addFirst(new AfterLine("JOIN ", () -> a.send("welcome b")));
        TestClient b = clients.connect();
        a.channel().runPendingTasks(); // a's flush: the JOIN reaches a's socket, and a answers at once
        List<String> got = b.lines();
        assertEquals("WELCOME 2 client2 1 Welcome to HermesNet!", got.get(0));
        assertEquals(List.of("MSG 1 client1 welcome b"), got.stream().filter(l -> l.startsWith("MSG ")).toList(), got.toString());
    }
}
