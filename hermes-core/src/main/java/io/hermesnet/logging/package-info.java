/**
 * log4j-core plugins of the HermesNet apps (docs/protocol.md §3.10 "Logging"): the {@code %esc{…}}
 * pattern converter that writes client text escaped. hermes-core's own code logs through log4j-api only;
 * log4j-core is an optional dependency, needed only by an application that names these plugins in its
 * configuration (hermes-server and hermes-client do).
 */
package io.hermesnet.logging;
