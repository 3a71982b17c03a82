/**
 * A HermesNet cluster on Redis (docs/protocol.md §6.4, docs/cluster.md): {@link io.hermesnet.cluster.RedisCluster}
 * joins a server to the others on the same Redis and cluster name, with a
 * {@link io.hermesnet.cluster.RedisStateLog} (the ordered state events in a Redis Stream) and a
 * {@link io.hermesnet.cluster.RedisTickSource} (ID values leased in blocks). hermes-server loads this
 * package through {@link java.util.ServiceLoader} only when it is started with {@code --cluster}.
 */
package io.hermesnet.cluster;
