package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.Objects;

/**
 * Answers every {@code EXEC <execId> <fromRank> <fromName> <command>} (docs/protocol.md §3.6) with
 * {@code /result <execId> <text>}, the text coming from an {@link ExecRegistry}; then passes the
 * {@link ServerEvent.ExecRequest} on and fires an {@link ExecAnswered} user event, so listeners can show
 * both. Logged under the {@code EXEC} marker. Other messages pass untouched.
 *
 * <p>Must sit after the line encoder (it writes {@code String}s) and after {@link ClientStateHandler}
 * (commands read {@link ClientState}). Stateless apart from the thread-safe registry, and
 * {@link Sharable}; commands run on the channel's event loop.
 */
@Sharable
public final class ExecResponder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(ExecResponder.class);

    private final ExecRegistry registry;

    /** A responder answering from {@code registry}. */
    public ExecResponder(ExecRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registry answers come from. */
    public ExecRegistry registry() {
        return registry;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ServerEvent.ExecRequest request) {
            String result = registry.answer(request, ClientState.of(ctx.channel()));
            String line = result.isEmpty() ? "/result " + request.execId() : "/result " + request.execId() + ' ' + result;
            log.info(HermesMarkers.EXEC, "EXEC {} from {} (rank {}): {} -> {}", request.execId(), request.fromName(),
                    request.fromRank(), request.command(), result);
            ctx.writeAndFlush(line, ctx.voidPromise());
            ctx.fireChannelRead(request);
            ctx.fireUserEventTriggered(new ExecAnswered(request, result));
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
