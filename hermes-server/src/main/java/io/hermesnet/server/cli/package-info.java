/**
 * The {@code hermes-server} command (docs/protocol.md §3.9, §3.10, §4): the picocli command line and its value
 * converters, the log4j2 set-up, and the POSIX signals that stop the server or list its clients.
 */
package io.hermesnet.server.cli;
