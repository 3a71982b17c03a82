/**
 * Not API: classes HermesNet's own modules share (hermes-server's and hermes-client's logging set-up, the
 * log4j {@code %esc} converter), public only because Java has no "friend" modules. They may change or go in
 * any release; embedders depend on the packages the README's "Embedding hermes-core" section lists, never
 * on {@code io.hermesnet.internal} (Lettuce's {@code io.lettuce.core.internal} habit). {@code ReadmeApiTest}
 * and {@code ArchitectureTest} hold both sides to that.
 */
package io.hermesnet.internal;
