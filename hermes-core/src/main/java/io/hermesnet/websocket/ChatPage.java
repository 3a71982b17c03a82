package io.hermesnet.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The chat page of a browser listener (docs/protocol.md §6.3): plain HTML, CSS and JavaScript files
 * shipped in this jar, read once into memory, each with its content type and an entity tag (a hash of
 * its bytes) so a browser revalidates cheaply and never runs a stale script after an upgrade.
 *
 * <p>Immutable and thread-safe: the file bytes are never changed after loading.
 */
public final class ChatPage {
    /** One file of the page. */
    public record File(String contentType, byte[] bytes, String etag) {
    }

    private static final String DIR = "/io/hermesnet/websocket/page/";
    /** Request path → resource name and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/chat.css", new String[] {"chat.css", "text/css; charset=utf-8"},
            "/chat.js", new String[] {"chat.js", "text/javascript; charset=utf-8"});

    private final Map<String, File> files;

    private ChatPage(Map<String, File> files) {
        this.files = files;
    }

    /**
     * Reads the page's files from the class path. Blocks on the read: call it while setting up, never on
     * an event loop.
     *
     * @throws UncheckedIOException if a file is missing from the jar
     */
    public static ChatPage load() {
        Map<String, File> loaded = new java.util.HashMap<>();
        for (Map.Entry<String, String[]> e : FILES.entrySet()) {
            String name = e.getValue()[0];
            try (InputStream in = ChatPage.class.getResourceAsStream(DIR + name)) {
                if (in == null) {
                    throw new UncheckedIOException(new IOException("missing from the jar: " + DIR + name));
                }
                byte[] bytes = in.readAllBytes();
                loaded.put(e.getKey(), new File(e.getValue()[1], bytes, etag(bytes)));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return new ChatPage(Map.copyOf(loaded));
    }

    /** The file served at {@code path} ({@code /}, {@code /chat.js}, …), or {@code null}. */
    public File file(String path) {
        return files.get(path);
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + HexFormat.of().formatHex(d, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
