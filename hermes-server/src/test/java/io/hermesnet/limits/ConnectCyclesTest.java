package io.hermesnet.limits;

import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.server.HermesPipeline;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.testkit.LeakDetection;
import io.hermesnet.testkit.LineClient;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leak freedom over real sockets (issue #6; docs/protocol.md §3.3, §3.5, §3.7, §3.11): 10,000 connect/disconnect
 * cycles, 5,000 with one global room and 5,000 with {@code --room-size 2} (rooms are created, filled
 * and dropped all along). Half the cycles end with {@code /logout}, awaiting {@code BYE Goodbye} as the
 * last line and then the server's close; the other half with a TCP RST ({@code SO_LINGER 0}). Eight
 * clients cycle at once, so ranks move under one another; some cycles chat or rename, and now and then
 * a resident client sends an EXEC to a cycling client that never answers it. Afterwards Netty reports
 * no {@code LEAK:}, and the hub is back to empty (no client, rank, room or pending EXEC), with the
 * per-IP count and the names exact again.
 *
 * <p>No sleeps, no polling: a handler first in each server pipeline completes a future per client id
 * when the server unregisters its channel, which Netty does after the channel's
 * {@code channelInactive}, and so after {@link HermesHub#leave}. Each cycling client awaits it before
 * it connects again, so at most residents + 8 clients are ever admitted. That allows exact limits:
 * {@code --max-per-ip} is exactly residents + 8 (a per-IP count leaked once would refuse a later
 * cycle) and {@code --max-clients} one more.
 */
class ConnectCyclesTest {
    private static final int WORKERS = 8;
    private static final int CYCLES = 5_000; // per server, so 10,000 in all
    private static final int EXEC_EVERY = 16;
    private static final Duration WAIT = TestServers.WAIT;

    @Test
    @Timeout(90)
    void tenThousandConnectDisconnectCyclesLeaveNothingBehind() throws Exception {
        LeakDetection.flush(); // earlier tests' leaks, if any, are reported now and not blamed on this test
        try (LeakReports leaks = new LeakReports()) {
            new Run(0, 2).cycleAndCheck();
            new Run(2, 1).cycleAndCheck(); // one resident: it waits in room 1, which cycling clients fill and leave
            LeakDetection.flush();
            assertEquals(List.of(), leaks.lines(), "Netty reported leaked buffers");
        }
    }

    /**
     * {@link #CYCLES} cycles against one server with {@code roomSize}, with {@code residentCount}
     * clients connected all along: they hold ranks 0.. and, having joined first, never move.
     */
    private static final class Run {
        final int roomSize;
        final int residentCount;
        final int limit;
        final HermesHub hub;
        final Unregistrations unregistered = new Unregistrations();
        final AtomicInteger logouts = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();
        final String[] lastNicks = new String[WORKERS];
        Resident issuer;
        InetSocketAddress address;

        Run(int roomSize, int residentCount) {
            this.roomSize = roomSize;
            this.residentCount = residentCount;
            this.limit = residentCount + WORKERS;
            this.hub = new HermesHub(HermesConfig.builder().roomSize(roomSize)
                    .maxClients(limit + 1).maxPerIp(limit)
                    // the ticker and the idle timer are set and cancelled in every cycle
                    .tickInterval(Duration.ofSeconds(1)).idleTimeout(Duration.ofMinutes(1))
                    .quiet(true).shutdownTimeout(Duration.ofSeconds(1)).build());
        }

        void cycleAndCheck() throws Exception {
            try (HermesServer server = start()) {
                address = server.localAddress();
                List<Resident> residents = new ArrayList<>();
                try {
                    for (int i = 0; i < residentCount; i++) {
                        residents.add(new Resident(address));
                        assertEquals(i, residents.get(i).client.welcome().rank());
                    }
                    issuer = residents.get(0);

                    long t0 = System.nanoTime();
                    cycleInParallel();
                    long cyclesMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

                    // Every cycling client is gone and its leave() has run: only the residents are
                    // left, with their ranks and their room (rooms on: the resident waits in room 1).
                    assertEquals(residentCount, hub.clientCount(), "clients after the cycles");
                    List<Session> left = hub.sessions();
                    for (int i = 0; i < residentCount; i++) {
                        assertEquals(residents.get(i).client.welcome().id(), left.get(i).id());
                        assertEquals(i, left.get(i).rank());
                    }
                    assertEquals(roomSize == 0 ? 0 : 1, hub.roomCount(), "rooms after the cycles");
                    assertEquals(0, hub.pendingExecCount(), "pending EXECs after the cycles");
                    for (int i = 0; i < residentCount; i++) {
                        residents.get(i).assertSawEveryCycle(residentCount - 1 - i, logouts.get(), resets.get());
                    }
                    issuer.assertEveryExecAnswered();

                    newcomersFindExactLimitsAndFreeNames(residents);
                    System.out.printf("room size %d: %d cycles (%d logout, %d reset; %d at once) in %d ms,"
                                    + " %d EXECs accepted of %d sent%n", roomSize, CYCLES, logouts.get(), resets.get(),
                            WORKERS, cyclesMs, issuer.execAccepted.get(), issuer.execsSent.get());
                } finally {
                    for (Resident r : residents) {
                        r.client.close();
                    }
                }
                // back to empty: registry, ranks, rooms, EXECs
                assertEquals(0, hub.clientCount(), "clients at the end");
                assertEquals(List.of(), hub.sessions(), "ranks at the end");
                assertEquals(0, hub.roomCount(), "rooms at the end");
                assertEquals(0, hub.pendingExecCount(), "pending EXECs at the end");
            }
        }

        private HermesServer start() throws IOException {
            HermesPipeline pipeline = new HermesPipeline(hub);
            return HermesServer.start(hub, new InetSocketAddress("127.0.0.1", 0), Transport.best(), 2,
                    new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            pipeline.configure(ch.pipeline());
                            ch.pipeline().addFirst("unregistered", unregistered);
                        }
                    });
        }

        private void cycleInParallel() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int worker = w;
                    workers.add(pool.submit(() -> {
                        for (int k = 0; k < CYCLES / WORKERS; k++) {
                            cycle(worker, k);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        /**
         * Cycle {@code k} of {@code worker}: awaits {@code WELCOME} (the first line), maybe renames and
         * chats, then logs out or resets (every other cycle, the workers out of step), and awaits the
         * server's unregistration of the channel.
         */
        private void cycle(int worker, int k) throws IOException {
            long id;
            // ticks inline: BYE must be the last line of all, an ID line after it too would fail the test
            try (LineClient c = LineClient.builder(address).timeout(WAIT).ticksInline(true).connect()) {
                id = c.awaitWelcome().id(); // the first line

                boolean logout = (k + worker) % 2 == 0;
                String nick = k % 4 >= 2 ? "cycle" + (k * WORKERS + worker) : null;
                StringBuilder say = new StringBuilder();
                if (nick != null) {
                    say.append("/nick ").append(nick).append('\n');
                }
                if (k % 3 == 0) {
                    say.append("hi ").append(k).append('\n'); // rooms on: relayed to a partner, or NOT_READY
                }
                if (logout) {
                    say.append("/logout\n");
                }
                if (!say.isEmpty()) {
                    c.sendRaw(say.toString().getBytes(StandardCharsets.UTF_8)); // one write
                }
                if (k % EXEC_EVERY == 0) {
                    issuer.exec(residentCount); // the oldest cycling client's rank; it never answers
                }
                if (logout) {
                    List<String> last = c.awaitClosed();
                    assertTrue(!last.isEmpty() && last.get(last.size() - 1).equals("BYE Goodbye"),
                            "client " + id + ": BYE is the last line, then the server closes: " + last);
                    logouts.incrementAndGet();
                    if (nick != null) {
                        lastNicks[worker] = nick; // asked for before the /logout: taken, then freed
                    }
                } else {
                    c.abort(); // a TCP RST
                    resets.incrementAndGet();
                }
            }
            unregistered.await(id);
        }

        /**
         * The per-IP count, the client count and the names are exact again: exactly {@code limit}
         * connections from 127.0.0.1 are admitted and the next is refused; the names the cycling
         * clients took are free. Then everyone logs out.
         */
        private void newcomersFindExactLimitsAndFreeNames(List<Resident> residents) throws IOException {
            List<LineClient> newcomers = new ArrayList<>();
            try {
                for (int rank = residentCount; rank < limit; rank++) {
                    LineClient c = LineClient.builder(address).timeout(WAIT).connect();
                    newcomers.add(c);
                    assertEquals(rank, c.awaitWelcome().rank());
                }
                try (LineClient refused = LineClient.builder(address).timeout(WAIT).connect()) {
                    assertEquals(List.of("ERROR FULL too many connections from 127.0.0.1"), refused.awaitClosed());
                }
                LineClient renamer = newcomers.get(0);
                for (String nick : lastNicks) {
                    renamer.send("/nick " + nick);
                    assertEquals("NAME " + nick, renamer.await("(NAME|ERROR) .*", WAIT).group());
                }
                List<LineClient> everyone = new ArrayList<>(newcomers);
                residents.forEach(r -> everyone.add(r.client));
                for (LineClient c : everyone) {
                    c.send("/logout");
                }
                for (LineClient c : everyone) {
                    c.awaitLine("BYE Goodbye");
                    unregistered.await(c.welcome().id());
                }
            } finally {
                for (LineClient c : newcomers) {
                    c.close();
                }
            }
        }
    }

    /**
     * Completes a future per admitted client id when the server unregisters its channel. Netty fires
     * {@code channelUnregistered} after the whole {@code channelInactive} has run, in which the
     * admission handler calls {@link HermesHub#leave}: so by then the hub has forgotten the client.
     */
    @Sharable
    private static final class Unregistrations extends ChannelInboundHandlerAdapter {
        private final Map<Long, CompletableFuture<Void>> byId = new ConcurrentHashMap<>();

        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
            Session s = ctx.channel().attr(HermesAttributes.SESSION).get();
            if (s != null) {
                future(s.id()).complete(null);
            }
            super.channelUnregistered(ctx);
        }

        private CompletableFuture<Void> future(long id) {
            return byId.computeIfAbsent(id, k -> new CompletableFuture<>());
        }

        /** Waits until client {@code id}'s channel is unregistered; fails after {@link #WAIT}. */
        void await(long id) {
            try {
                future(id).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("the server did not unregister client " + id + " within " + WAIT, e);
            }
            byId.remove(id);
        }
    }

    /**
     * A client connected all along: counts the {@code JOIN} and {@code LEAVE} lines (by reason) and
     * the answers to its EXECs, and keeps only the lines nothing else accounts for.
     */
    private static final class Resident {
        final LineClient client;
        final AtomicInteger joins = new AtomicInteger();
        final Map<String, Integer> leaves = new ConcurrentHashMap<>();
        final AtomicInteger execsSent = new AtomicInteger();
        final AtomicInteger execAccepted = new AtomicInteger();
        final AtomicInteger execNoSuchRank = new AtomicInteger();

        Resident(InetSocketAddress address) throws IOException {
            Predicate<String> keep = l -> {
                if (l.startsWith("JOIN ")) {
                    joins.incrementAndGet();
                } else if (l.startsWith("LEAVE ")) {
                    leaves.merge(l.substring(l.lastIndexOf(' ') + 1), 1, Integer::sum);
                } else if (l.startsWith("OK EXEC ")) {
                    execAccepted.incrementAndGet();
                } else if (l.startsWith("ERROR NO_SUCH_RANK ")) {
                    execNoSuchRank.incrementAndGet();
                } else {
                    // CLIENTS, ID, MSG, RENAME and ROOM lines are the others' business; the rest is kept
                    return !l.startsWith("CLIENTS ") && !l.startsWith("ID ") && !l.startsWith("MSG ")
                            && !l.startsWith("RENAME ") && !l.startsWith("ROOM ");
                }
                return false;
            };
            client = LineClient.builder(address).timeout(WAIT).keepLines(keep).connect();
            client.awaitWelcome();
        }

        /** Sends {@code /exec <rank> echo cycle}; any thread. */
        void exec(int rank) {
            synchronized (this) {
                client.send("/exec " + rank + " echo cycle");
            }
            execsSent.incrementAndGet();
        }

        /**
         * Asks {@code /rank} and checks, from the lines before the answer (which come after every
         * cycle's LEAVE): one JOIN per cycle and per later resident, one LEAVE per cycle with its
         * reason; the rank never moved; no other line.
         */
        void assertSawEveryCycle(int laterResidents, int logouts, int resets) {
            client.send("/rank");
            List<String> kept = new ArrayList<>(client.linesUntil(Pattern.compile("RANK \\d+"), WAIT));
            // docs/protocol.md §3.6: each EXEC this client sent ended when its target cycled out
            long noAnswers = kept.stream().filter(l -> l.matches("ERROR NO_SUCH_EXEC \\d+ no answer")).count();
            kept.removeIf(l -> l.matches("ERROR NO_SUCH_EXEC \\d+ no answer"));
            long id = client.welcome().id();
            assertEquals(execAccepted.get(), noAnswers, "client " + id + ": one no-answer line per EXEC it had accepted");
            assertEquals(List.of("RANK " + client.welcome().rank()), kept, "client " + id + ": never promoted, nothing else");
            assertEquals(CYCLES + laterResidents, joins.get(), "JOIN lines at client " + id);
            assertEquals(Map.of("closed", resets, "logout", logouts), new TreeMap<>(leaves),
                    "LEAVE lines by reason at client " + id);
        }

        /** Every {@code /exec} got exactly one answer: {@code OK EXEC} or {@code ERROR NO_SUCH_RANK}. */
        void assertEveryExecAnswered() {
            assertEquals(execsSent.get(), execAccepted.get() + execNoSuchRank.get(), "answers to the EXECs");
        }
    }
}
