/**
 * The operations endpoint of {@code hermes-server --admin-port} (docs/operations.md): HTTP/1.1 on the
 * server's own event loops with Netty's HTTP codec, Prometheus metrics through Micrometer, health and
 * readiness probes, and the client list and server info as JSON through Jackson.
 *
 * <p>It lives in hermes-server, not hermes-core, so that the library stays free of HTTP, Micrometer and
 * Jackson: hermes-core has only the counting hooks ({@link io.hermesnet.telemetry.HermesMetrics},
 * {@link io.hermesnet.telemetry.HermesCounters}). An embedder who wants the same endpoint depends on
 * hermes-server and calls {@link io.hermesnet.server.admin.AdminServer#start}.
 */
package io.hermesnet.server.admin;
