package io.hermesnet.example;

import io.hermesnet.server.HermesServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeCommandExampleTest {

    @Test
    @Timeout(20)
    void theEmbeddedServerAnswersItsOwnCommandAndKeepsHermesCommands() throws Exception {
        Clock noon = Clock.fixed(Instant.parse("2026-01-01T12:34:56Z"), ZoneOffset.UTC);
        try (HermesServer server = TimeCommandExample.start(new InetSocketAddress("127.0.0.1", 0), noon);
             Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertEquals("WELCOME 1 client1 0 Welcome to my server!", in.readLine());
            assertEquals("CLIENTS 1", in.readLine());

            out.write("/time\n/frob\n/rank\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("TIME 12:34:56", in.readLine());
            assertTrue(in.readLine().startsWith("ERROR UNKNOWN_COMMAND /frob"));
            assertEquals("RANK 0", in.readLine());
        }
    }
}
