package io.hermesnet.cluster;

import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.state.StateEvent;
import io.hermesnet.testkit.RedisServerExtension;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RedisStateLog} on a real redis-server: one order for every node (docs/cluster.md). */
class RedisStateLogTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    @Test
    @Timeout(30)
    void everyNodeAppliesEveryNodesEventsInOneOrder() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofSeconds(5));
             Node b = new Node(redis.uri(), "b", Duration.ofSeconds(5));
             Node c = new Node(redis.uri(), "c", Duration.ofSeconds(5))) {
            a.log().append(new StateEvent.Join("a", 1, "127.0.0.1:1000", 1));
            b.log().append(new StateEvent.Join("b", 1, "127.0.0.1:2000", 2));
            c.log().append(new StateEvent.Join("c", 1, "127.0.0.1:3000", 3));
            a.log().append(new StateEvent.Rename(1, "alice ünïcode"));
            b.log().append(new StateEvent.Exec(2, 2, "uptime"));
            c.log().append(new StateEvent.Result(3, 1, "up 3 days"));
            a.log().append(new StateEvent.Direct(1, "bob", "hi"));
            b.log().append(new StateEvent.ExecExpired(1));
            c.log().append(new StateEvent.Chat(3, "my turn"));
            a.log().append(new StateEvent.Leave(1, LeaveReason.LOGOUT));
            List<StateEvent> seenByA = a.awaitApplied(10, WAIT);
            assertEquals(seenByA, b.awaitApplied(10, WAIT));
            assertEquals(seenByA, c.awaitApplied(10, WAIT));
            // each node's own events in the order it appended them, every event exactly once
            assertEquals(List.of(new StateEvent.Join("a", 1, "127.0.0.1:1000", 1), new StateEvent.Rename(1, "alice ünïcode"),
                            new StateEvent.Direct(1, "bob", "hi"), new StateEvent.Leave(1, LeaveReason.LOGOUT)),
                    seenByA.stream().filter(e -> List.of(StateEvent.Join.class, StateEvent.Rename.class,
                            StateEvent.Direct.class, StateEvent.Leave.class).contains(e.getClass())
                            && !(e instanceof StateEvent.Join j && !j.node().equals("a"))).toList());
            assertEquals(10, new HashSet<>(seenByA).size());
            // a node started later applies the log from its first entry: the same state
            try (Node late = new Node(redis.uri(), "late", Duration.ofSeconds(5))) {
                assertEquals(seenByA, late.awaitApplied(10, WAIT));
                late.await("late node caught up", late.log()::isAvailable, WAIT);
            }
        }
    }

    @Test
    @Timeout(30)
    void twentyParallelAppendsAcrossThreeNodesLandInOneOrderEverywhere() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofSeconds(5));
             Node b = new Node(redis.uri(), "b", Duration.ofSeconds(5));
             Node c = new Node(redis.uri(), "c", Duration.ofSeconds(5))) {
            List<Node> nodes = List.of(a, b, c);
            ExecutorService pool = Executors.newFixedThreadPool(20);
            CountDownLatch go = new CountDownLatch(1);
            try {
                for (int i = 0; i < 20; i++) {
                    Node n = nodes.get(i % 3);
                    long ticket = i;
                    pool.execute(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        n.log().append(new StateEvent.Join(n.id, ticket, "10.0.0." + ticket + ":1", ticket));
                    });
                }
                go.countDown();
                List<StateEvent> order = a.awaitApplied(20, WAIT);
                assertEquals(order, b.awaitApplied(20, WAIT));
                assertEquals(order, c.awaitApplied(20, WAIT));
                Set<Long> tickets = new HashSet<>();
                order.forEach(e -> tickets.add(((StateEvent.Join) e).ticket()));
                assertEquals(20, tickets.size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @Timeout(30)
    void chatIsAppliedByTheOtherNodesAfterTheLogEntryItsSenderHadApplied() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofSeconds(5));
             Node b = new Node(redis.uri(), "b", Duration.ofSeconds(5))) {
            a.log().append(new StateEvent.Join("a", 1, "127.0.0.1:1", 1));
            a.awaitApplied(1, WAIT);
            a.log().publish(new StateEvent.Chat(1, "hello from a"));
            a.log().append(new StateEvent.Leave(1, LeaveReason.LOGOUT));
            List<StateEvent> atB = b.awaitApplied(3, WAIT);
            // the line was sent while client 1 was a member: applied before its leave, not after
            assertEquals(List.of(new StateEvent.Join("a", 1, "127.0.0.1:1", 1), new StateEvent.Chat(1, "hello from a"),
                    new StateEvent.Leave(1, LeaveReason.LOGOUT)), atB);
            // the sender's node has relayed the line to its own clients already: it does not get it back
            List<StateEvent> atA = a.awaitApplied(2, WAIT);
            assertEquals(List.of(new StateEvent.Join("a", 1, "127.0.0.1:1", 1), new StateEvent.Leave(1, LeaveReason.LOGOUT)),
                    atA);
        }
    }

    @Test
    @Timeout(30)
    void aLineBetweenTwoLogEntriesIsAppliedBetweenThemByANodeWaitingForEntries() throws Exception {
        // a log entry is announced without its fields, so b reads the streams for it; a read that gave the
        // second log entry without the line appended before it in the same call (a chat line and its sender's
        // leave, on the wire) would drop the line as one from a stranger
        try (Node a = new Node(redis.uri(), "a", Duration.ofSeconds(5));
             Node b = new Node(redis.uri(), "b", Duration.ofSeconds(5))) {
            List<StateEvent> expected = new ArrayList<>();
            expected.add(new StateEvent.Join("a", 1, "127.0.0.1:1", 1));
            a.log().append(expected.get(0));
            for (int i = 0; i < 20; i++) {
                b.awaitApplied(expected.size(), WAIT); // then b waits for announcements
                List<StateEvent> three = List.of(new StateEvent.Rename(1, "before" + i),
                        new StateEvent.Chat(1, "line " + i), new StateEvent.Rename(1, "after" + i));
                a.log().append(three.get(0)); // one sender call most times: queued faster than it wakes
                a.log().publish((StateEvent.Chat) three.get(1));
                a.log().append(three.get(2));
                expected.addAll(three);
            }
            assertEquals(expected, b.awaitApplied(expected.size(), WAIT));
        }
    }

    @Test
    @Timeout(30)
    void aLineSentWhileItsSendersJoinIsBeingAppliedComesAfterThatJoinEverywhere() throws Exception {
        StateEvent.Join join = new StateEvent.Join("a", 1, "127.0.0.1:1", 1);
        StateEvent.Chat first = new StateEvent.Chat(1, "first line");
        // applying the join sends WELCOME, and the newcomer may chat before applying has returned
        BiConsumer<Node, StateEvent> chatOnWelcome = (node, e) -> {
            if (e.equals(join)) {
                node.log().publish(first);
            }
        };
        try (Node a = new Node(redis.uri(), "a", Duration.ofSeconds(5), chatOnWelcome);
             Node b = new Node(redis.uri(), "b", Duration.ofSeconds(5))) {
            a.log().append(join);
            assertEquals(List.of(join, first), b.awaitApplied(2, WAIT));
            // the line's floor is the join itself (its node had not recorded the join as applied yet): a node
            // that reads both in one XREAD applies the join first, not a line from a stranger
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                ClusterKeys keys = new ClusterKeys("test");
                String joinId = c.sync().xrange(keys.log, Range.unbounded()).get(0).getId();
                List<StreamMessage<String, String>> chat = c.sync().xrange(keys.chat, Range.unbounded());
                assertEquals(1, chat.size());
                assertEquals("1", chat.get(0).getBody().get("n"));
                assertEquals(joinId, chat.get(0).getBody().get("floor"));
                // its own after is from before the join: only the floor puts it behind the join
                assertEquals(List.of(new ChatRun.Line(StreamIds.ZERO, 1, "first line")),
                        ChatRun.decode(chat.get(0).getBody().get("lines")));
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    @Timeout(30)
    void redisPausedLongerThanTheNodeTimeoutMakesTheNodeUnavailableUntilItAnswers() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofMillis(1000))) {
            a.await("available after start", a.log()::isAvailable, WAIT);
            var resumed = redis.pause(Duration.ofMillis(3000));
            a.log().append(new StateEvent.Join("a", 1, "127.0.0.1:1", 1)); // queued while Redis sleeps
            a.await("unavailable while Redis sleeps", () -> !a.log().isAvailable(), WAIT);
            resumed.get(10, TimeUnit.SECONDS);
            a.await("available again", a.log()::isAvailable, WAIT);
            assertEquals(List.of(new StateEvent.Join("a", 1, "127.0.0.1:1", 1)), a.awaitApplied(1, WAIT));
        }
    }

    @Test
    @Timeout(30)
    void redisPausedShorterThanTheNodeTimeoutChangesNothing() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofMillis(3000));
             Node b = new Node(redis.uri(), "b", Duration.ofMillis(3000))) {
            a.await("available after start", a.log()::isAvailable, WAIT);
            b.await("available after start", b.log()::isAvailable, WAIT);
            var resumed = redis.pause(Duration.ofMillis(700));
            a.log().append(new StateEvent.Join("a", 1, "127.0.0.1:1", 1));
            List<Boolean> availability = new ArrayList<>();
            do { // sampled every 50 ms until Redis answers again
                availability.add(a.log().isAvailable() && b.log().isAvailable());
            } while (!resumedWithin(resumed, Duration.ofMillis(50)));
            assertFalse(availability.contains(false), "a node was unavailable during a short pause");
            assertEquals(a.awaitApplied(1, WAIT), b.awaitApplied(1, WAIT));
            assertEquals(0, a.applied().stream().filter(e -> e instanceof StateEvent.NodeDown).count());
        }
    }

    @Test
    @Timeout(30)
    void aNodeThatStopsHeartbeatingIsDeclaredDownOnceEverywhere() throws Exception {
        Duration timeout = Duration.ofMillis(1500); // survivors on a loaded machine must not miss it themselves
        try (Node a = new Node(redis.uri(), "a", timeout);
             Node b = new Node(redis.uri(), "b", timeout)) {
            Node c = new Node(redis.uri(), "c", timeout);
            c.log().append(new StateEvent.Join("c", 1, "127.0.0.1:1", 1));
            a.awaitApplied(1, WAIT);
            b.awaitApplied(1, WAIT);
            c.cluster.halt(); // as kill -9: its heartbeat key expires
            List<StateEvent> atA = a.awaitApplied(2, WAIT);
            assertEquals(new StateEvent.NodeDown("c"), atA.get(1));
            assertEquals(atA, b.awaitApplied(2, WAIT));
            // both survivors ran their dead-node check four more times: still exactly one node-down
            long seenA = a.log().heartbeats();
            long seenB = b.log().heartbeats();
            a.await("four more heartbeats", () -> a.log().heartbeats() >= seenA + 4, WAIT);
            b.await("four more heartbeats", () -> b.log().heartbeats() >= seenB + 4, WAIT);
            assertEquals(1, a.applied().stream().filter(e -> e instanceof StateEvent.NodeDown).count());
            assertEquals(a.applied(), b.applied());
            assertTrue(a.log().isAvailable());
        }
    }

    @Test
    @Timeout(30)
    void whenRedisLosesTheDataEveryNodeStaysUnavailable() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofMillis(1500))) {
            a.log().append(new StateEvent.Join("a", 1, "127.0.0.1:1", 1));
            a.awaitApplied(1, WAIT);
            a.await("available", a.log()::isAvailable, WAIT);
            redis.restart(); // --appendonly no: an empty Redis
            a.await("unavailable after the data loss", a.log()::hasLostData, WAIT);
            assertFalse(a.log().isAvailable());
            a.log().append(new StateEvent.Leave(1, LeaveReason.LOGOUT));
            assertEquals(0, redis.callInteger("EXISTS", "hermes:{test}:log"), "nothing written into the new, empty Redis");
        }
    }

    @Test
    @Timeout(30)
    void aNodeThatAppliedEntriesRedisNoLongerHoldsStops() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofMillis(1500))) {
            a.log().append(new StateEvent.Join("a", 1, "127.0.0.1:1", 1));
            a.log().append(new StateEvent.Join("a", 2, "127.0.0.1:2", 2));
            a.awaitApplied(2, WAIT);
            a.await("available", a.log()::isAvailable, WAIT);
            // as a Redis crash that lost its last second of writes (AOF fsync everysec): the last entry is gone
            String last = redis.call("XREVRANGE", "hermes:{test}:log", "+", "-", "COUNT", "1");
            assertTrue(last.startsWith("*1"), last);
            String lastId = lastEntryId();
            assertEquals(1, redis.callInteger("XDEL", "hermes:{test}:log", lastId));
            a.await("unavailable for good", a.log()::hasLostData, WAIT);
            assertFalse(a.log().isAvailable());
        }
    }

    @Test
    @Timeout(30)
    void aLineWhoseAnnouncementWasLostIsReadFromTheStreamWhenTheNextAnnouncementShowsTheGap() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofSeconds(60)); // no heartbeat probe in this test's time
             Node b = new Node(redis.uri(), "b", Duration.ofSeconds(60))) {
            StateEvent.Join join = new StateEvent.Join("a", 1, "127.0.0.1:1", 1);
            a.log().append(join);
            a.awaitApplied(1, WAIT);
            b.awaitApplied(1, WAIT);
            appendChatUnannounced("a", 1, "lost on the feed");
            a.log().publish(new StateEvent.Chat(1, "announced"));
            assertEquals(List.of(join, new StateEvent.Chat(1, "lost on the feed"), new StateEvent.Chat(1, "announced")),
                    b.awaitApplied(3, WAIT));
        }
    }

    @Test
    @Timeout(30)
    void aLastLineWhoseAnnouncementWasLostIsFoundByTheHeartbeat() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofMillis(1500));
             Node b = new Node(redis.uri(), "b", Duration.ofMillis(1500))) {
            StateEvent.Join join = new StateEvent.Join("a", 1, "127.0.0.1:1", 1);
            a.log().append(join);
            b.awaitApplied(1, WAIT);
            appendChatUnannounced("a", 1, "lost on the feed, and nothing after it");
            assertEquals(List.of(join, new StateEvent.Chat(1, "lost on the feed, and nothing after it")),
                    b.awaitApplied(2, WAIT));
        }
    }

    @Test
    @Timeout(30)
    void linesSentWhileTheReadersConnectionsAreCutReachEveryNodeInOrder() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofMillis(1500));
             Node b = new Node(redis.uri(), "b", Duration.ofMillis(1500))) {
            List<StateEvent> expected = new ArrayList<>();
            expected.add(new StateEvent.Join("a", 1, "127.0.0.1:1", 1));
            a.log().append(expected.get(0));
            b.awaitApplied(1, WAIT);
            for (int round = 0; round < 3; round++) {
                a.await("both readers subscribed", () -> feedSubscribers() == 2, WAIT);
                // every subscribed connection (both readers) is cut; Lettuce reconnects and subscribes again,
                // and what was announced meanwhile is gone from the feed but not from the stream
                assertEquals(2, killSubscribedConnections());
                for (int i = 0; i < 50; i++) {
                    StateEvent.Chat line = new StateEvent.Chat(1, "round " + round + " line " + i);
                    a.log().publish(line);
                    expected.add(line);
                }
            }
            assertEquals(expected, b.awaitApplied(expected.size(), WAIT));
        }
    }

    /**
     * Appends a chat line of {@code node}'s client as the append script would, but without announcing it
     * (as if the announcement was lost): the entry is in the stream and the feed's count moved on.
     */
    private void appendChatUnannounced(String node, long clientId, String text) throws Exception {
        String after = lastEntryId();
        redis.call("XADD", "hermes:{test}:chat", "*", "floor", after, "node", node, "n", "1", "lines",
                ChatRun.encode(List.of(new ChatRun.Line(after, clientId, text))));
        redis.callInteger("INCR", "hermes:{test}:feed-seq");
    }

    /** How many connections are subscribed to the feed. */
    private long feedSubscribers() {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().pubsubNumsub("hermes:{test}:feed").getOrDefault("hermes:{test}:feed", 0L);
        } finally {
            client.shutdown();
        }
    }

    /** Cuts every connection subscribed to a channel (in RESP3 they are not of {@code CLIENT KILL TYPE pubsub}). */
    private int killSubscribedConnections() {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            int killed = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=(\\d+) [^\\n]* sub=1 ").matcher(c.sync().clientList());
            while (m.find()) {
                killed += (int) (long) c.sync().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(m.group(1))));
            }
            return killed;
        } finally {
            client.shutdown();
        }
    }

    /** The id of the log's last entry, read with a plain RESP exchange. */
    private String lastEntryId() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", redis.port())) {
            s.getOutputStream().write("XREVRANGE hermes:{test}:log + - COUNT 1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            in.readLine(); // *1
            in.readLine(); // *2
            in.readLine(); // $len
            return in.readLine();
        }
    }

    /** Whether {@code resumed} completes within {@code wait}: awaits the future, at most that long. */
    private static boolean resumedWithin(java.util.concurrent.Future<?> resumed, Duration wait) throws Exception {
        try {
            resumed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
