package io.hermesnet.internal.logging;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link ClientLogMessage}: a text layout writes exactly what the plain parameterized message would (the text
 * format is unchanged), while the client's id, name and address ride along as the map a JSON layout reads.
 */
class ClientLogMessageTest {
    private static String textLine(Message message) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        PatternLayout layout = PatternLayout.newBuilder()
                .withPattern("[%markerSimpleName] %esc{%msg}")
                .withConfiguration(context.getConfiguration())
                .build();
        return layout.toSerializable(Log4jLogEvent.newBuilder().setLoggerName("test").setLevel(Level.INFO)
                .setMarker(MarkerManager.getMarker("STATE")).setMessage(message).build());
    }

    /** The fields as a JSON layout's map resolver reads them: key to value, the id a number. */
    private static Map<String, Object> fields(ClientLogMessage m) {
        Map<String, Object> fields = new java.util.HashMap<>();
        m.getIndexedReadOnlyStringMap().forEach((k, v) -> fields.put(k, v));
        return fields;
    }

    @Test
    void theTextIsThatOfThePlainMessageAndTheFieldsAreTheClients() {
        try (TestClients clients = new TestClients(TestClients.quietConfig().build())) {
            TestClient a = clients.connect();
            ClientLogMessage m = ClientLogMessage.of(a.session().id(), a.session().name(), a.session().address(), "Client {} connected from {} ({} clients)",
                    a.session().id(), a.session().address(), 1);
            ParameterizedMessage plain = new ParameterizedMessage("Client {} connected from {} ({} clients)",
                    a.session().id(), a.session().address(), 1);
            assertEquals(plain.getFormattedMessage(), m.getFormattedMessage());
            assertEquals(textLine(plain), textLine(m));
            assertEquals("[STATE] Client 1 connected from embedded (1 clients)", textLine(m));
            assertEquals(Map.of("id", 1L, "name", "client1", "address", "embedded"), fields(m));
        }
    }

    @Test
    void aConnectionWithoutAClientHasItsAddressOnlyAndATrailingThrowableIsTheEventsThrowable() {
        IllegalStateException boom = new IllegalStateException("boom");
        ClientLogMessage m = ClientLogMessage.ofAddress("127.0.0.1:5000", "{}: unexpected error", "127.0.0.1:5000", boom);
        assertEquals("127.0.0.1:5000: unexpected error", m.getFormattedMessage());
        assertEquals(Map.of("address", "127.0.0.1:5000"), fields(m));
        assertSame(boom, m.getThrowable());
        assertNull(ClientLogMessage.ofAddress("x", "no throwable").getThrowable());
    }

    @Test
    void clientTextInTheMessageIsWrittenEscaped() {
        ClientLogMessage m = ClientLogMessage.ofAddress("127.0.0.1:5000", "{}: {}", "127.0.0.1:5000", "bad\r\u001b[2J");
        assertEquals("[STATE] 127.0.0.1:5000: bad\\r\\x1b[2J", textLine(m));
    }
}
