package io.hermesnet.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.protocol.ServerEvent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What the operations endpoint answers, apart from HTTP: the Prometheus scrape, the event-loop health
 * check, readiness, and the {@code /clients} and {@code /info} documents (JSON through Jackson). One
 * instance per endpoint, shared by its connections.
 *
 * <p>Thread-safe. Nothing here blocks: {@link #checkLoops} answers through a future.
 */
final class AdminEndpoints {
    /** How long every event loop has to run a no-op for {@code /healthz} to answer 200. */
    static final Duration HEALTH_DEADLINE = Duration.ofSeconds(1);

    private final PrometheusMeterRegistry registry;
    private final HermesHub hub;
    private final Iterable<? extends EventExecutor> loops;
    private final BooleanSupplier accepting;
    private final Map<String, Object> about;
    private final String node;
    private final Clock clock;
    private final Instant startedAt;
    private final ObjectMapper json;

    /**
     * @param loops     the event loops {@code /healthz} checks
     * @param accepting whether the server admits clients ({@code /readyz})
     * @param about     the fixed part of {@code /info} (version, listeners), in order
     * @param node      the node id reported for every client
     */
    AdminEndpoints(PrometheusMeterRegistry registry, HermesHub hub, Iterable<? extends EventExecutor> loops,
            BooleanSupplier accepting, Map<String, Object> about, String node, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.loops = Objects.requireNonNull(loops, "loops");
        this.accepting = Objects.requireNonNull(accepting, "accepting");
        this.about = Collections.unmodifiableMap(new LinkedHashMap<>(about));
        this.node = Objects.requireNonNull(node, "node");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = clock.instant();
        this.json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    }

    /** The Prometheus text exposition format (0.0.4) of every registered meter. */
    String scrape() {
        return registry.scrape();
    }

    /** Whether the server admits clients: the listener is open and no shutdown has begun. */
    boolean ready() {
        return accepting.getAsBoolean();
    }

    /** Why {@link #ready()} is false: {@code cluster unavailable} (docs/protocol.md §6.4) or {@code shutting down}. */
    String notReadyReason() {
        return !hub.isClosing() && !hub.stateLog().isAvailable() ? "cluster unavailable" : "shutting down";
    }

    /**
     * Submits a no-op to every event loop and completes, on {@code answerOn}, with the number of loops
     * that had not run it within {@link #HEALTH_DEADLINE} (0 = healthy). A loop that refuses the task
     * (it is shutting down) counts as one that did not run it. Never blocks; callable from any thread,
     * including one of the loops it checks.
     */
    Future<Integer> checkLoops(EventExecutor answerOn) {
        Promise<Integer> answer = answerOn.newPromise();
        List<EventExecutor> all = new ArrayList<>();
        loops.forEach(all::add);
        AtomicInteger behind = new AtomicInteger(all.size());
        if (all.isEmpty()) {
            return answer.setSuccess(0);
        }
        ScheduledFuture<?> deadline = answerOn.schedule(() -> {
            answer.trySuccess(behind.get());
        }, HEALTH_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        answer.addListener(f -> deadline.cancel(false));
        for (EventExecutor loop : all) {
            try {
                loop.execute(() -> {
                    if (behind.decrementAndGet() == 0) {
                        // hop back, so the answer is written on the admin channel's own loop
                        answerOn.execute(() -> answer.trySuccess(0));
                    }
                });
            } catch (RejectedExecutionException e) {
                // it will never run the task; the deadline answers with it counted
            }
        }
        return answer;
    }

    /** {@code GET /clients}: the {@code /who} list, in rank order, as a JSON array. */
    byte[] clientsJson() {
        List<ClientView> clients = new ArrayList<>();
        for (Session s : hub.sessions()) {
            long room = s.roomId();
            clients.add(new ClientView(s.id(), s.name(), s.rank(), room == ServerEvent.WhoEntry.NO_ROOM ? null : room,
                    s.address(), s.connectedSince(), s.node()));
        }
        return write(clients);
    }

    /** {@code GET /info}: version, node, start time, uptime, clients and settings, as a JSON object. */
    byte[] infoJson() {
        Instant now = clock.instant();
        return write(new InfoView(about, node, startedAt, Duration.between(startedAt, now).toMillis() / 1000.0,
                hub.clientCount(), hub.config()));
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * One row of {@code /clients}.
     *
     * @param room the room id, or null when rooms are off
     * @param node the node that holds the client
     */
    record ClientView(long id, String name, int rank, Long room, String address, Instant connectedSince, String node) {
    }

    /**
     * The {@code /info} document.
     *
     * @param server        version and listener facts, as given to the endpoint
     * @param uptimeSeconds seconds since the endpoint started, to the millisecond
     * @param settings      the server's settings; durations as ISO-8601 ({@code PT1S})
     */
    record InfoView(Map<String, Object> server, String node, Instant startedAt, double uptimeSeconds, int clients,
            HermesConfig settings) {
    }
}
