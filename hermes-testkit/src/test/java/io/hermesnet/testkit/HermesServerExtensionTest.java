package io.hermesnet.testkit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs small sample test classes through the JUnit engine and checks what the extension did for them:
 * the samples publish what they saw as report entries.
 */
@Timeout(30)
class HermesServerExtensionTest {

    private static EngineExecutionResults run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute();
    }

    /** Fails with the samples' own failures, if any, unless exactly {@code n} tests ran and passed. */
    private static void assertAllSucceeded(EngineExecutionResults results, int n) {
        List<Throwable> failures = results.testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("sample tests failed: " + failures);
            failures.forEach(e::addSuppressed);
            throw e;
        }
        results.testEvents().assertStatistics(s -> s.started(n).succeeded(n));
    }

    /** The values each sample test published, in execution order. */
    private static List<Map<String, String>> published(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .collect(Collectors.toList());
    }

    private static void assertPortClosed(String port) {
        try (Socket s = new Socket()) {
            assertThrows(ConnectException.class,
                    () -> s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port)), 2000),
                    "the server on port " + port + " was stopped");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void report(TestReporter reporter, HermesServerExtension server, LineClient client) {
        reporter.publishEntry(Map.of("id", Long.toString(client.welcome().id()), "port", Integer.toString(server.port())));
    }

    // ---------------------------------------------------------------- samples

    static class PerTestSample {
        @RegisterExtension
        final HermesServerExtension server = HermesServerExtension.withDefaults();

        @Test
        void first(TestReporter reporter) {
            report(reporter, server, server.join());
        }

        @Test
        void second(TestReporter reporter) {
            report(reporter, server, server.join());
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassSample {
        @RegisterExtension
        static final HermesServerExtension SERVER = HermesServerExtension.builder().perClass().build();

        @Test
        @Order(1)
        void first(TestReporter reporter) {
            report(reporter, SERVER, SERVER.join());
            report(reporter, SERVER, SERVER.join());
        }

        @Test
        @Order(2)
        void second(TestReporter reporter) {
            LineClient c = SERVER.join();
            report(reporter, SERVER, c);
            c.await("CLIENTS 1"); // the first test's clients were closed after it
            assertThrows(IllegalStateException.class, () -> SERVER.configure(b -> b.echo(true)));
        }
    }

    static class PerClassOnInstanceFieldSample {
        @RegisterExtension
        final HermesServerExtension server = HermesServerExtension.builder().perClass().build();

        @Test
        void test() {
            server.port();
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ConfigureSample {
        @RegisterExtension
        static final HermesServerExtension SERVER = HermesServerExtension.builder()
                .config(c -> c.tickInterval(Duration.ZERO))
                .build();

        @Test
        @Order(1)
        void configuredForThisTest() {
            SERVER.configure(c -> c.echo(true));
            LineClient c = SERVER.join();
            c.send("hi");
            c.await("ECHO hi");
            assertTrue(SERVER.config().echo());
            assertEquals(Duration.ZERO, SERVER.config().tickInterval(), "the builder's config is the base");
        }

        @Test
        @Order(2)
        void backToTheBaseConfigAndNoChangesOnceStarted() {
            assertFalse(SERVER.config().echo());
            LineClient c = SERVER.join();
            assertEquals(1, c.welcome().id(), "a fresh server");
            assertThrows(IllegalStateException.class, () -> SERVER.configure(b -> b.echo(true)));
            c.await("CLIENTS 1");
            c.send("hi");
            c.expectNoMore(); // no ECHO: the first test's change is gone
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void perTestGivesEachTestAFreshServerAndStopsIt() {
        EngineExecutionResults results = run(PerTestSample.class);
        assertAllSucceeded(results, 2);
        List<Map<String, String>> seen = published(results);
        assertEquals(2, seen.size());
        for (Map<String, String> test : seen) {
            assertEquals("1", test.get("id"), "ids start at 1 on every test's server");
            assertPortClosed(test.get("port"));
        }
    }

    @Test
    void perClassSharesOneServerAndClosesEachTestsClients() {
        EngineExecutionResults results = run(PerClassSample.class);
        assertAllSucceeded(results, 2);
        List<Map<String, String>> seen = published(results);
        assertEquals(List.of("1", "2", "3"), seen.stream().map(m -> m.get("id")).collect(Collectors.toList()));
        assertEquals(1, seen.stream().map(m -> m.get("port")).distinct().count(), "one server for the class");
        assertPortClosed(seen.get(0).get("port"));
    }

    @Test
    void perClassOnAnInstanceFieldFailsWithAClearMessage() {
        EngineExecutionResults results = run(PerClassOnInstanceFieldSample.class);
        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        Event failed = results.testEvents().failed().list().get(0);
        Throwable cause = failed.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow();
        assertInstanceOf(ExtensionConfigurationException.class, cause);
        assertTrue(cause.getMessage().contains("static"), cause.getMessage());
    }

    @Test
    void configureAppliesToOneTestBeforeItsServerStarts() {
        assertAllSucceeded(run(ConfigureSample.class), 2);
    }

    @Test
    void serverIsNotAvailableOutsideATest() {
        HermesServerExtension ext = HermesServerExtension.withDefaults();
        assertThrows(IllegalStateException.class, ext::port);
        assertFalse(ext.isRunning());
    }
}
