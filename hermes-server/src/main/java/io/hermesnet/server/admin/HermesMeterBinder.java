package io.hermesnet.server.admin;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.telemetry.HermesCounters;
import io.hermesnet.telemetry.HermesMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.ChannelOutboundBuffer;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Binds one server's {@link HermesCounters} and live state to a Micrometer registry: the
 * {@code hermes_*} metrics of docs/operations.md. The counters are read when the registry is scraped
 * ({@link FunctionCounter}s over the {@code LongAdder}s), so counting stays in hermes-core and costs
 * the fan-out no Micrometer call. Micrometer's Prometheus naming adds {@code _total} to counters and
 * the base unit ({@code _bytes}) where one is set.
 *
 * <p>Thread-safe: the registry may be scraped from any thread; the gauges over the client list take
 * the hub's lock for the length of one snapshot.
 */
final class HermesMeterBinder implements MeterBinder {
    private final HermesCounters counters;
    private final HermesHub hub;

    HermesMeterBinder(HermesCounters counters, HermesHub hub) {
        this.counters = counters;
        this.hub = hub;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("hermes.clients.connected", hub, HermesHub::clientCount)
                .description("Clients connected now (admitted, not yet left)")
                .register(registry);
        Gauge.builder("hermes.outbound.pending", hub, HermesMeterBinder::outboundPendingBytes)
                .description("Bytes written to clients' channels that their sockets have not yet taken, all clients")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);

        counter(registry, "hermes.connections.accepted", "Connections admitted as clients", null,
                c -> c.connectionsAccepted());
        for (HermesMetrics.Rejection why : HermesMetrics.Rejection.values()) {
            counter(registry, "hermes.connections.rejected", "Connections refused admission, by reason", null,
                    c -> c.connectionsRejected(why), "reason", label(why));
        }
        for (LeaveReason reason : LeaveReason.values()) {
            counter(registry, "hermes.disconnects", "Clients that left, by the reason of their LEAVE line", null,
                    c -> c.disconnects(reason), "reason", reason.wire());
        }
        counter(registry, "hermes.lines.received", "Complete lines read from clients", null, c -> c.linesReceived());
        counter(registry, "hermes.lines.delivered", "Lines handed to clients' channels (a broadcast counts each recipient)",
                null, c -> c.linesDelivered());
        counter(registry, "hermes.received", "Bytes read from clients' sockets", BaseUnits.BYTES, c -> c.bytesIn());
        counter(registry, "hermes.sent", "Bytes handed to clients' sockets", BaseUnits.BYTES, c -> c.bytesOut());
        for (ErrorCode code : ErrorCode.values()) {
            counter(registry, "hermes.errors", "ERROR lines sent to clients, by code", null, c -> c.errors(code),
                    "code", code.name());
        }
        for (HermesMetrics.ExecOutcome outcome : HermesMetrics.ExecOutcome.values()) {
            counter(registry, "hermes.execs", "EXEC requests, by outcome", null, c -> c.execs(outcome),
                    "outcome", label(outcome));
        }
        counter(registry, "hermes.log.lines.dropped", "Log lines dropped because the logging queue was full", null,
                c -> c.logLinesDropped());
    }

    private void counter(MeterRegistry registry, String name, String description, String baseUnit,
            ToDoubleFunction<HermesCounters> value, String... tags) {
        FunctionCounter.builder(name, counters, value)
                .description(description)
                .baseUnit(baseUnit)
                .tags(tags)
                .register(registry);
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The bytes in every client's Netty outbound buffer: written, not yet taken by the kernel. Read
     * from the scraping thread; each buffer's total is a volatile field, so this is a snapshot.
     */
    private static double outboundPendingBytes(HermesHub hub) {
        long sum = 0;
        for (Session s : hub.sessions()) {
            ChannelOutboundBuffer out = s.isLocal() ? s.channel().unsafe().outboundBuffer() : null;
            if (out != null) {
                sum += out.totalPendingWriteBytes();
            }
        }
        return sum;
    }
}
