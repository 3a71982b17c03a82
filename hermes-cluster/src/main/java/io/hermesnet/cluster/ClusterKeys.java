package io.hermesnet.cluster;

/**
 * The Redis keys of one cluster (docs/cluster.md "Keys"). Every key holds the hash tag {@code {name}},
 * so in a Redis Cluster they all live in one slot and the scripts may touch any of them.
 */
final class ClusterKeys {
    final String prefix;
    /** The Stream of state events, in the order every node applies them. */
    final String log;
    /** The Stream of chat outside turn mode, trimmed ({@code MAXLEN ~}). */
    final String chat;
    /** Per node: the incarnation and sequence number of its last appended entry (duplicates are dropped). */
    final String seqs;
    /** A random value set once; another value (or none) means Redis lost the cluster's data. */
    final String epoch;
    /** The set of node ids that heartbeat. */
    final String nodes;
    /** The {@code ID} counter; nodes lease blocks of it. */
    final String ticks;
    /** Incarnations: each node start takes the next number. */
    final String incarnations;

    ClusterKeys(String clusterName) {
        prefix = "hermes:{" + clusterName + "}:";
        log = prefix + "log";
        chat = prefix + "chat";
        seqs = prefix + "seqs";
        epoch = prefix + "epoch";
        nodes = prefix + "nodes";
        ticks = prefix + "ticks";
        incarnations = prefix + "incarnations";
    }

    /** The heartbeat key of {@code node}: present while it lives (TTL = node timeout). */
    String heartbeat(String node) {
        return prefix + "hb:" + node;
    }

    /** The marker of {@code node}'s death: the id of its {@code node-down} entry. */
    String down(String node) {
        return prefix + "down:" + node;
    }
}
