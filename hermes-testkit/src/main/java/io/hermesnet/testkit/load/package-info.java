/**
 * {@code hermes-load}, a load generator for HermesNet servers ({@code docs/load.md}):
 * {@link io.hermesnet.testkit.load.LoadCommand} is the command line,
 * {@link io.hermesnet.testkit.load.LoadGenerator#run} the engine for use from code (e.g. a benchmark),
 * {@link io.hermesnet.testkit.load.LoadOptions} what to do and {@link io.hermesnet.testkit.load.LoadReport}
 * what came out.
 */
package io.hermesnet.testkit.load;
