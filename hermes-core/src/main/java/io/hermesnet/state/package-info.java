/**
 * The server's shared state as an ordered log of events (docs/design.md "State as ordered events"):
 * {@link io.hermesnet.state.StateEvent}, the {@link io.hermesnet.state.StateLog} that orders and applies
 * them, and the {@link io.hermesnet.state.TickSource} of {@code ID} values. One server uses
 * {@link io.hermesnet.state.LocalStateLog}; a cluster backend (docs/protocol.md §6.4) implements the same two
 * interfaces over an external store.
 */
package io.hermesnet.state;
