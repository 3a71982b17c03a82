package io.hermesnet.cluster;

import io.hermesnet.state.ClusterBackend;

import java.util.Locale;

/** Finds {@link RedisCluster} for {@code redis://}, {@code rediss://} and {@code redis-sentinel://} URIs (ServiceLoader). */
public final class RedisClusterProvider implements ClusterBackend.Provider {
    @Override
    public boolean accepts(String uri) {
        String u = uri.toLowerCase(Locale.ROOT);
        return u.startsWith("redis://") || u.startsWith("rediss://") || u.startsWith("redis-sentinel://");
    }

    @Override
    public ClusterBackend open(ClusterBackend.Settings settings) {
        return RedisCluster.open(settings);
    }
}
