package io.hermesnet.cluster;

import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Gives Lettuce the server's event loops for its connections, whatever group class it asks for, and never
 * stops them: they belong to the server, which stops them after the cluster has closed
 * (docs/cluster.md "Threads").
 */
final class SharedEventLoops implements EventLoopGroupProvider {
    private final EventLoopGroup loops;

    SharedEventLoops(EventLoopGroup loops) {
        this.loops = Objects.requireNonNull(loops, "loops");
    }

    @Override
    @SuppressWarnings("unchecked") // Lettuce asks by its transport's class; it uses the result as any EventLoopGroup
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
        return (T) loops;
    }

    @Override
    public int threadPoolSize() {
        int n = 0;
        for (EventExecutor ignored : loops) {
            n++;
        }
        return n;
    }

    @Override
    public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
}
