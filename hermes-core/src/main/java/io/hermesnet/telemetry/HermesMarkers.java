package io.hermesnet.telemetry;

import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;

/**
 * The log categories of docs/protocol.md §3.10, as log4j Markers: the {@code [CATEGORY]} of every log line.
 */
public final class HermesMarkers {
    /** Start, bind address, connect (remote ip:port), disconnect (reason), reject, shutdown. */
    public static final Marker STATE = MarkerManager.getMarker("STATE");
    /** Each received line. */
    public static final Marker RX = MarkerManager.getMarker("RX");
    /** Each sent line (DEBUG). */
    public static final Marker TX = MarkerManager.getMarker("TX");
    /** Fan-out of one line: {@code Broadcasting to N clients}. */
    public static final Marker BROADCAST = MarkerManager.getMarker("BROADCAST");
    /** Every EXEC: issuer, target, command, outcome. */
    public static final Marker EXEC = MarkerManager.getMarker("EXEC");

    private HermesMarkers() {
    }
}
