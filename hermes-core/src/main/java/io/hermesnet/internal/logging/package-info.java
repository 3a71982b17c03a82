/**
 * How HermesNet logs client text and client events (docs/protocol.md §3.10 "Logging"): {@link
 * io.hermesnet.internal.logging.ClientLogMessage}, a log4j-api message that carries a client's id, name and address as
 * structured fields beside its text, {@link io.hermesnet.internal.logging.LogFormat}, the apps' text or JSON choice, and the
 * log4j-core plugin {@code %esc{…}}
 * ({@link io.hermesnet.internal.logging.EscapingConverter}) that writes client text escaped. log4j-core is an optional
 * dependency of hermes-core, needed only by an application that names the plugin in its configuration
 * (hermes-server and hermes-client do).
 */
package io.hermesnet.internal.logging;
