/**
 * Test support for HermesNet servers and for code built on hermes-core.
 *
 * <ul>
 * <li>{@link io.hermesnet.testkit.HermesServerExtension}: a JUnit 5 extension running a real server on
 *     {@code 127.0.0.1:0}, built by the same pipeline factory as production; with
 *     {@link io.hermesnet.testkit.AcrossTopologies} a test runs on one server and on three cluster nodes
 *     on one Redis ({@link io.hermesnet.testkit.Topology}, which describes the cluster barrier behind
 *     {@code sync()});</li>
 * <li>{@link io.hermesnet.testkit.RedisServerExtension}: a real {@code redis-server} on a free port, plain,
 *     TLS-only or with a real Sentinel;</li>
 * <li>{@link io.hermesnet.testkit.LineClient}: a blocking line client with
 *     {@code await(pattern, timeout)}, tick handling and a {@code sync()} for "nothing else arrived",
 *     raw bytes, a reset ({@code abort()}), a bounded {@code flood}, byte counts and a line filter for
 *     flooded clients: the one line client of the project's tests;</li>
 * <li>{@link io.hermesnet.testkit.LineClients}: hundreds of {@code LineClient}s read by one selector thread;</li>
 * <li>{@link io.hermesnet.testkit.LineSource}: the lines of any other stream (a child process's output,
 *     a command's {@code PrintWriter}) with the same kind of bounded await;</li>
 * <li>{@link io.hermesnet.testkit.EmbeddedHermes}: {@code EmbeddedChannel}s configured by
 *     {@link io.hermesnet.server.HermesPipeline}, lines in and out as strings;</li>
 * <li>{@link io.hermesnet.testkit.LeakDetection}: makes Netty report leaked buffers in the test that
 *     leaked them.</li>
 * </ul>
 *
 * <p>Use as a test-scoped dependency. Tests built on it should not sleep to wait for anything: every
 * method here waits for a line, an EOF or a future, bounded by a timeout. The {@code hermes-load} and soak
 * commands that used to live here are in the {@code hermes-tools} module.
 */
package io.hermesnet.testkit;
