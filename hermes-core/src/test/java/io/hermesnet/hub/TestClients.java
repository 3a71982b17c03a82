package io.hermesnet.hub;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@link HermesHub} and the {@link TestClient}s connected to it; {@link #close()} (from an
 * {@code @AfterEach}) releases every channel. Test support only, see {@link TestClient}.
 */
public final class TestClients implements AutoCloseable {
    private final HermesHub hub;
    private final List<TestClient> all = new ArrayList<>();

    /** A hub with {@code config}. */
    public TestClients(HermesConfig config) {
        this(new HermesHub(config));
    }

    /** Clients of an existing hub. */
    public TestClients(HermesHub hub) {
        this.hub = hub;
    }

    /** A hub whose {@code ID} counter starts at {@code firstTick} (unsigned 32-bit). */
    public static TestClients withFirstTick(HermesConfig config, long firstTick) {
        return new TestClients(new HermesHub(config, Clock.systemUTC(), firstTick, UnpooledByteBufAllocator.DEFAULT));
    }

    /** A config with the defaults but no {@code ID} ticks, so tests see only the lines they cause. */
    public static HermesConfig.Builder quietConfig() {
        return HermesConfig.builder().tickInterval(Duration.ZERO).maxClients(1000);
    }

    /** The hub. */
    public HermesHub hub() {
        return hub;
    }

    /** Connects a new client. */
    public TestClient connect() {
        return track(TestClient.connect(hub));
    }

    /** Connects a new client, running {@code beforeActive} on its channel first. */
    public TestClient connect(Consumer<EmbeddedChannel> beforeActive) {
        return track(TestClient.connect(hub, beforeActive));
    }

    /** Connects {@code n} clients. */
    public List<TestClient> connect(int n) {
        List<TestClient> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(connect());
        }
        return out;
    }

    private TestClient track(TestClient c) {
        all.add(c);
        return c;
    }

    /** Drops every line queued so far at every client. */
    public void drainAll() {
        for (TestClient c : all) {
            c.lines();
        }
    }

    @Override
    public void close() {
        for (TestClient c : all) {
            c.close();
        }
    }
}
