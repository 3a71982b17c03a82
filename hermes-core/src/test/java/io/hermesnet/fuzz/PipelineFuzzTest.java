package io.hermesnet.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.hermesnet.fuzz.CodecFuzzTest.assertSanitized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for the whole server pipeline: {@link HermesPipeline#configure} on {@link EmbeddedChannel}s
 * (two at the start, up to {@value #MAX_CLIENTS}) sharing one {@link HermesHub}, with a fuzzer-chosen
 * configuration and a fuzzer-chosen sequence of operations: bytes (arbitrary, or protocol tokens) to a
 * client in chunks cut anywhere, time passing (ticks, idle timeouts, rate-limit refills), a client
 * closing abruptly, a new client connecting. After every operation it asserts what a user would see:
 * <ul>
 * <li>no exception escapes {@code writeInbound} and no connection is closed with reason {@code error};</li>
 * <li>every outbound line is valid UTF-8, ends with CRLF, has no other CR or LF, and parses with
 *     {@link ProtocolParser#parseEvent} to an event (never {@link ServerEvent.Unparsed});
 *     {@code WELCOME} (or {@code ERROR FULL}) comes first and {@code BYE} last;</li>
 * <li>no MSG, ECHO, EXEC or RESULT text holds a C0 control but TAB, DEL, or a C1 control (docs/protocol.md §3.4);</li>
 * <li>the ranks of the connected sessions are exactly 0..n-1, and each client's last WELCOME/RANK line
 *     and last CLIENTS line agree with the hub; no two ID lines carry the same number;</li>
 * <li>once every channel is finished the hub is empty (clients, rooms, EXECs) and every buffer is
 *     released.</li>
 * </ul>
 */
class PipelineFuzzTest {
    static final int MAX_CLIENTS = 5;
    private static final int MAX_OPS = 256;
    private static final byte[][] TOKENS = {
            bytes("\n"), bytes("\r\n"), bytes("/nick "), bytes("/who\n"), bytes("/rank\n"), bytes("/exec "),
            bytes("/result "), bytes("/quit\n"), bytes("/logout\n"), bytes("logout\n"), bytes("EXEC 1 "), bytes("exit"),
            bytes("hello "), bytes("\u001b[2J"), bytes("\t"), bytes(" "), bytes("0"), bytes("1"), bytes("2 "),
            bytes("client1"), bytes("Bob"), bytes("bob\n"), bytes("/frob\n"),
            {(byte) 0xff, (byte) 0xfb, 0x01}, // IAC WILL ECHO
            {(byte) 0xff, (byte) 0xfa, 0x18, 0x00, (byte) 0xff, (byte) 0xf0}, // IAC SB TTYPE ... IAC SE
            {(byte) 0xff, (byte) 0xff}, // IAC IAC
            {(byte) 0xc3, 0x28}, // invalid UTF-8
            {(byte) 0xc2, (byte) 0x85}, // U+0085, a C1 control
            {0x7f, 0x00, 0x07}, // DEL NUL BEL
            {(byte) 0xe2, (byte) 0x82, (byte) 0xac}, // €
    };

    @FuzzTest
    void serverPipeline(FuzzedDataProvider data) {
        HermesConfig config = config(data);
        TrackingAllocator alloc = new TrackingAllocator();
        HermesHub hub = new HermesHub(config, Clock.systemUTC(), data.consumeBoolean() ? 0xFFFF_FFFEL : 0, alloc);
        Run run = new Run(hub, new HermesPipeline(hub), alloc);
        run.connect();
        run.connect();
        run.check();

        for (int ops = 0; ops < MAX_OPS && data.remainingBytes() > 0; ops++) {
            int op = data.consumeInt(0, 9);
            Client c = run.clients.isEmpty() ? null : run.clients.get(data.consumeInt(0, run.clients.size() - 1));
            if (op <= 4 && c != null) {
                c.send(alloc, data.consumeBytes(data.consumeInt(0, 48)));
            } else if (op <= 6 && c != null) {
                c.send(alloc, TOKENS[data.consumeInt(0, TOKENS.length - 1)]);
            } else if (op == 7) {
                long ms = data.consumeInt(0, 2500);
                for (Client each : run.clients) {
                    each.ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
                    each.ch.runScheduledPendingTasks();
                }
            } else if (op == 8 && c != null) {
                c.ch.close(); // the peer goes away (EOF or reset)
            } else if (op == 9 && run.clients.size() < MAX_CLIENTS) {
                run.connect();
            }
            run.check();
        }

        while (!run.clients.isEmpty()) {
            run.clients.get(0).ch.close();
            run.check();
        }
        assertEquals(0, hub.clientCount(), "clients left in the hub");
        assertEquals(0, hub.roomCount(), "rooms left in the hub");
        assertEquals(0, hub.pendingExecCount(), "EXECs left in the hub");
        assertEquals(0, alloc.unreleased(), "buffers not released, of " + alloc.allocated());
    }

    private static HermesConfig config(FuzzedDataProvider data) {
        int roomSize = data.consumeBoolean() ? data.consumeInt(2, 3) : 0;
        return HermesConfig.builder()
                .maxClients(data.consumeInt(1, 4))
                .tickInterval(data.consumeBoolean() ? Duration.ofSeconds(1) : Duration.ZERO)
                .roomSize(roomSize)
                .turns(roomSize > 0 && data.consumeBoolean())
                .echo(data.consumeBoolean())
                .maxLineBytes(data.consumeInt(4, 64))
                // small enough that a /who answer (rows written, flushed at the end) can pass it
                .maxPendingBytes(data.consumeBoolean() ? data.consumeInt(16, 256) : HermesConfig.DEFAULT_MAX_PENDING_BYTES)
                .idleTimeout(data.consumeBoolean() ? Duration.ofSeconds(3) : Duration.ZERO)
                .maxRate(data.consumeBoolean() ? data.consumeInt(1, 5) : 0)
                .quiet(data.consumeBoolean())
                .build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One fuzz run: the hub, its clients, and what they have seen. */
    private static final class Run {
        final HermesHub hub;
        final HermesPipeline pipeline;
        final TrackingAllocator alloc;
        final List<Client> clients = new ArrayList<>();
        final Set<Long> ticks = new HashSet<>();

        Run(HermesHub hub, HermesPipeline pipeline, TrackingAllocator alloc) {
            this.hub = hub;
            this.pipeline = pipeline;
            this.alloc = alloc;
        }

        void connect() {
            EmbeddedChannel ch = new EmbeddedChannel(false, false, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel c) {
                    // before the handlers read the time: ticks, idle and rate limits run on fuzzer time
                    ((EmbeddedChannel) c).freezeTime();
                    pipeline.configure(c.pipeline());
                }
            });
            ch.config().setAllocator(alloc);
            clients.add(new Client(ch));
            try {
                ch.register(); // channelActive: admission
            } catch (Exception e) {
                throw new AssertionError("registering the channel failed", e);
            }
        }

        /** Reads and checks every client's output; retires closed clients; checks the hub's ranks. */
        void check() {
            // Each EmbeddedChannel has its own event loop, which runs its tasks (flushes, closes) only
            // when asked; a real loop runs them right away. Run them until every client is quiet.
            for (int round = 0, lines = 1; lines > 0 || round < 2; round++) {
                assertTrue(round < 100, "tasks keep producing output");
                lines = 0;
                for (Client c : clients) {
                    c.ch.runPendingTasks();
                    lines += c.drain(this);
                }
            }
            for (int i = clients.size() - 1; i >= 0; i--) {
                Client c = clients.get(i);
                if (!c.ch.isOpen()) {
                    assertNotEquals(LeaveReason.ERROR, c.ch.attr(HermesAttributes.LEAVE_REASON).get(),
                            "a handler failed and closed the connection");
                    c.ch.finishAndReleaseAll();
                    clients.remove(i);
                }
            }
            List<Session> sessions = hub.sessions();
            for (int i = 0; i < sessions.size(); i++) {
                assertEquals(i, sessions.get(i).rank(), "ranks are not 0..n-1: " + sessions);
            }
            int admitted = 0;
            for (Client c : clients) {
                Session s = c.ch.attr(HermesAttributes.SESSION).get();
                if (s != null) {
                    admitted++;
                    assertEquals(s.rank(), c.knownRank, "the client's last RANK disagrees with the hub");
                    assertEquals(sessions.size(), c.knownClients, "the client's last CLIENTS disagrees with the hub");
                }
            }
            assertEquals(sessions.size(), admitted, "sessions without an open channel");
        }
    }

    /** One client channel and what it has seen. */
    private static final class Client {
        final EmbeddedChannel ch;
        int lines;
        boolean bye;
        int knownRank = -1;
        int knownClients = -1;

        Client(EmbeddedChannel ch) {
            this.ch = ch;
        }

        void send(TrackingAllocator alloc, byte[] bytes) {
            ch.writeInbound(alloc.buffer(bytes.length).writeBytes(bytes)); // rethrows what reached the tail
        }

        /** Reads and checks the client's output; returns the number of lines. */
        int drain(Run run) {
            int n = 0;
            for (Object msg; (msg = ch.readOutbound()) != null; ) {
                assertTrue(msg instanceof ByteBuf, "outbound message is not encoded: " + msg);
                ByteBuf buf = (ByteBuf) msg;
                try {
                    assertTrue(ByteBufUtil.isText(buf, StandardCharsets.UTF_8), "outbound line is not UTF-8");
                    // one buffer holds the lines of one flush (the write coalescer), each CRLF-terminated
                    String text = buf.toString(StandardCharsets.UTF_8);
                    for (int from = 0; from < text.length(); n++) {
                        int end = text.indexOf("\r\n", from);
                        int next = end < 0 ? text.length() : end + 2;
                        line(run, text.substring(from, next));
                        from = next;
                    }
                } finally {
                    buf.release();
                }
            }
            return n;
        }

        private void line(Run run, String raw) {
            assertTrue(raw.endsWith("\r\n"), "line without CRLF: " + raw);
            String line = raw.substring(0, raw.length() - 2);
            assertFalse(line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0, "CR or LF inside a line: " + line);
            assertFalse(bye, "a line after BYE: " + line);
            ServerEvent event = ProtocolParser.parseEvent(line);
            assertNotNull(event);
            assertFalse(event instanceof ServerEvent.Unparsed, "unparsable line: " + line);
            if (lines++ == 0) {
                assertTrue(event instanceof ServerEvent.Welcome || event instanceof ServerEvent.Error,
                        "first line is neither WELCOME nor ERROR FULL: " + line);
            }
            if (event instanceof ServerEvent.Msg msg) {
                assertSanitized(msg.text());
            } else if (event instanceof ServerEvent.Echo echo) {
                assertSanitized(echo.text());
            } else if (event instanceof ServerEvent.ExecRequest exec) {
                assertSanitized(exec.command());
            } else if (event instanceof ServerEvent.ExecResult result) {
                assertSanitized(result.text());
            } else if (event instanceof ServerEvent.Welcome welcome) {
                knownRank = welcome.rank();
            } else if (event instanceof ServerEvent.Rank rank) {
                knownRank = rank.rank();
            } else if (event instanceof ServerEvent.Clients clients) {
                knownClients = clients.count();
            } else if (event instanceof ServerEvent.Leave leave) {
                assertNotEquals(LeaveReason.ERROR, leave.reason(), "a handler failed and closed a connection: " + line);
            } else if (event instanceof ServerEvent.IdTick tick) {
                assertTrue(run.ticks.add(tick.value()), "ID " + tick.value() + " sent twice");
            } else if (event instanceof ServerEvent.Bye) {
                bye = true;
            }
        }
    }
}
