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
    /**
     * The Pub/Sub channel on which every entry appended to either stream is announced, in append order
     * (docs/cluster.md "Reading"). Not a key, but named like one so that it shares their hash tag.
     */
    final String feed;
    /** The number of the last announcement on {@link #feed}: a node that missed one sees a gap. */
    final String feedSeq;

    ClusterKeys(String clusterName) {
        prefix = "hermes:{" + clusterName + "}:";
        log = prefix + "log";
        chat = prefix + "chat";
        seqs = prefix + "seqs";
        epoch = prefix + "epoch";
        nodes = prefix + "nodes";
        ticks = prefix + "ticks";
        incarnations = prefix + "incarnations";
        feed = prefix + "feed";
        feedSeq = prefix + "feed-seq";
    }

    /** Every key of the cluster but the per-node ones ({@link #heartbeat}, {@link #down}). */
    String[] clusterWide() {
        return new String[]{log, chat, seqs, epoch, nodes, ticks, incarnations, feedSeq};
    }

    /** The KEYS of {@link Scripts#APPEND}. */
    String[] appendKeys() {
        return new String[]{seqs, epoch, log, chat, feedSeq, feed};
    }

    /** The KEYS of {@link Scripts#HEARTBEAT}. */
    String[] heartbeatKeys() {
        return new String[]{epoch, nodes, log, feedSeq, feed};
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
