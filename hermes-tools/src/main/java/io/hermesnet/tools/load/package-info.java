/**
 * {@code hermes-load}, a load generator for HermesNet servers ({@code docs/load.md}):
 * {@link io.hermesnet.tools.load.LoadCommand} is the command line,
 * {@link io.hermesnet.tools.load.LoadGenerator#run} the engine for use from code (e.g. a benchmark),
 * {@link io.hermesnet.tools.load.LoadOptions} what to do and {@link io.hermesnet.tools.load.LoadReport}
 * what came out.
 */
package io.hermesnet.tools.load;
