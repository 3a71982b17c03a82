package io.hermesnet.internal.logging;

import org.apache.logging.log4j.message.AsynchronouslyFormattable;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.ParameterizedMessage;

/**
 * A log message about one client (docs/protocol.md §3.10): the text of an ordinary parameterized message
 * ({@code Client 3 connected from 127.0.0.1:51234 (1 clients)}), plus the client's {@value #ID},
 * {@value #NAME} and {@value #ADDRESS} as structured fields. A text layout writes only the text,
 * exactly as a plain {@code log.info(marker, format, args)} would; the JSON layout ({@code --log-format json})
 * writes the fields too, as the {@code client} object, through log4j's {@code map} resolver.
 *
 * <p>A log4j {@link MapMessage} whose formatted text is the parameterized text instead of the map. The
 * values are taken when the message is made (a later rename does not change a logged line), and the
 * arguments should be immutable (strings, numbers): the text may be formatted on log4j's background
 * thread. For STATE lines (connect, disconnect, rename, limits); the per-line RX and TX lines stay
 * plain, garbage-free messages.
 */
@AsynchronouslyFormattable
public final class ClientLogMessage extends MapMessage<ClientLogMessage, Object> {
    private static final long serialVersionUID = 1L;

    /** The client's id, a number. */
    public static final String ID = "id";
    /** The client's name as it was when the line was logged. */
    public static final String NAME = "name";
    /** The client's remote {@code ip:port}. */
    public static final String ADDRESS = "address";

    private final ParameterizedMessage text;

    private ClientLogMessage(String format, Object[] args) {
        super(4);
        this.text = new ParameterizedMessage(format, args);
    }

    /** A line about the admitted client {@code id}: its id, name and address as fields. */
    public static ClientLogMessage of(long id, String name, String address, String format, Object... args) {
        ClientLogMessage m = new ClientLogMessage(format, args);
        m.with(ID, id);
        m.with(NAME, name);
        m.with(ADDRESS, address);
        return m;
    }

    /** A line about a connection that has no client (yet): its remote {@code ip:port} as the only field. */
    public static ClientLogMessage ofAddress(String address, String format, Object... args) {
        ClientLogMessage m = new ClientLogMessage(format, args);
        m.with(ADDRESS, address);
        return m;
    }

    /** The parameterized text, as a plain message would have it (never the map). */
    @Override
    public String getFormattedMessage() {
        return text.getFormattedMessage();
    }

    /** The same text whatever format is asked for: the fields are for layouts that read the map. */
    @Override
    public String getFormattedMessage(String[] formats) {
        return text.getFormattedMessage();
    }

    @Override
    public void formatTo(StringBuilder buffer) {
        text.formatTo(buffer);
    }

    @Override
    public void formatTo(String[] formats, StringBuilder buffer) {
        text.formatTo(buffer);
    }

    @Override
    public String getFormat() {
        return text.getFormat();
    }

    @Override
    public Object[] getParameters() {
        return text.getParameters();
    }

    /** A trailing throwable argument, as for a parameterized message. */
    @Override
    public Throwable getThrowable() {
        return text.getThrowable();
    }
}
