package io.hermesnet.testkit;

/**
 * Where a socket test's clients are connected: to one server, or spread over three cluster nodes that
 * behave as one server (docs/protocol.md §6.4). A test annotated {@link AcrossTopologies} runs once in
 * each; {@link HermesServerExtension} builds the servers of the current one and hands out clients.
 *
 * <h2>Barrier</h2>
 * An assertion that something did <em>not</em> arrive ({@link LineClient#expectNoMore()}, or the lines
 * {@link LineClient#sync()} drops) needs to know that every line caused so far has been sent. On one
 * server on one event loop, one round trip of the client says so. In a cluster a line caused on one
 * node reaches a client of another only once that node has applied the event from the Redis stream,
 * so in {@link #CLUSTER3} every client's {@code sync} first runs a barrier:
 * <ol>
 * <li>each open client of the test waits until its node has handled everything it sent
 *     ({@link LineClient#awaitInputHandled()}; lines are left unread), so every event a client caused
 *     is now queued for Redis by its node;</li>
 * <li>each node appends a marker event to the ordered log, after everything it queued before (one
 *     sender per node keeps its order; a chat line waits on no other node's entries, and every node
 *     applies it before any later log entry of its sender's node);</li>
 * <li>the test waits until every node has applied all three markers (the markers never reach the
 *     hub): every node has applied every event appended before, and handed its lines to its clients'
 *     connections, which keep them ahead of anything sent later.</li>
 * </ol>
 * The client's own round trip then finds all those lines ahead of its answer. This costs a few
 * milliseconds per {@code sync}, and no sleep.
 */
public enum Topology {
    /** One {@code HermesServer} on one event loop. */
    SINGLE,
    /**
     * Three in-process {@code HermesServer}s, each on one event loop, joined as one cluster on a real
     * {@code redis-server} (as {@code --cluster redis://…} builds them); the test's clients are assigned
     * to the nodes round-robin (its first client on node 0, second on node 1, third on node 2, fourth on
     * node 0 …). Needs hermes-cluster on the test class path (found through {@code ServiceLoader}) and
     * {@code redis-server} on the {@code PATH}.
     */
    CLUSTER3
}
