/**
 * What every HermesNet command and configuration shares: {@link io.hermesnet.config.Units} parses and
 * formats durations and sizes, {@link io.hermesnet.config.HermesVersionProvider} is the {@code -V} of every
 * command.
 */
package io.hermesnet.config;
