package io.hermesnet.client;

import io.hermesnet.protocol.Names;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.protocol.TextSanitizer;
import io.hermesnet.telemetry.HermesMarkers;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The commands this client answers when another client EXECs it (docs/protocol.md §3.6): a map from a command name
 * to an {@link ExecCommand}. {@link #answer} looks up the first word of an EXEC's command (ignoring case)
 * and turns what the command returns into the one-line text of the {@code /result} line; an unknown
 * command gets a result saying so. Nothing is ever run in a shell or as a process: a command is only
 * the Java code registered for its name.
 *
 * <p>{@link #withBuiltins} gives the safe built-ins of {@code hermes-client}: {@code echo}, {@code time},
 * {@code whoami}, {@code rank}, {@code uptime} and {@code help}. Applications add their own with
 * {@link #register}.
 *
 * <p>Thread-safe: commands may be registered and removed at any time from any thread while
 * {@link #answer} runs on event loops.
 */
public final class ExecRegistry {
    /**
     * The default longest result text, in UTF-8 bytes. With {@code /result <execId> } in front it stays
     * under the server's default line limit of 4096 bytes (docs/protocol.md §3.11), so a long answer is cut here
     * rather than refused there.
     */
    public static final int DEFAULT_MAX_RESULT_BYTES = 4000;
    /** What replaces each line break in a result, since the protocol carries one line per result. */
    public static final String LINE_BREAK = " | ";

    private static final Logger log = LogManager.getLogger(ExecRegistry.class);
    private static final String ELLIPSIS = "…";

    private final ConcurrentSkipListMap<String, ExecCommand> commands = new ConcurrentSkipListMap<>();
    private final int maxResultBytes;

    /** An empty registry with {@link #DEFAULT_MAX_RESULT_BYTES}. */
    public ExecRegistry() {
        this(DEFAULT_MAX_RESULT_BYTES);
    }

    /**
     * An empty registry.
     *
     * @param maxResultBytes the longest result text in UTF-8 bytes, at least 16
     * @throws IllegalArgumentException if {@code maxResultBytes} is smaller than 16
     */
    public ExecRegistry(int maxResultBytes) {
        if (maxResultBytes < 16) {
            throw new IllegalArgumentException("maxResultBytes must be at least 16: " + maxResultBytes);
        }
        this.maxResultBytes = maxResultBytes;
    }

    /**
     * A registry holding the built-in commands of {@code hermes-client}; each answers from data this
     * client already has, none runs anything:
     * <ul>
     * <li>{@code echo <text>}: the text;</li>
     * <li>{@code time}: the local date and time, ISO-8601 with offset, to the second;</li>
     * <li>{@code whoami}: this client's name;</li>
     * <li>{@code rank}: this client's rank;</li>
     * <li>{@code uptime}: how long since this registry was made (the client started), e.g. {@code up 1h 2m 3s};</li>
     * <li>{@code help}: the names of all registered commands, including any added later.</li>
     * </ul>
     *
     * @param clock the source of {@code time} and {@code uptime}; its zone is the one {@code time} shows
     */
    public static ExecRegistry withBuiltins(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        ExecRegistry registry = new ExecRegistry();
        Instant started = clock.instant();
        registry.register("echo", ExecContext::args);
        registry.register("time", c -> ZonedDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        registry.register("whoami", c -> c.client().name() != null ? c.client().name() : "unknown");
        registry.register("rank", c -> c.client().rank() >= 0 ? Integer.toString(c.client().rank()) : "unknown");
        registry.register("uptime", c -> "up " + formatDuration(Duration.between(started, clock.instant())));
        registry.register("help", c -> "commands: " + String.join(" ", registry.names()));
        return registry;
    }

    /**
     * Registers {@code command} under {@code name}, replacing any command of that name.
     *
     * @param name 1–32 of {@code A-Za-z0-9_-}; looked up ignoring case
     * @return this registry
     * @throws IllegalArgumentException if {@code name} is not such a word
     */
    public ExecRegistry register(String name, ExecCommand command) {
        Objects.requireNonNull(command, "command");
        if (name == null || !Names.isWellFormed(name)) {
            throw new IllegalArgumentException("a command name is 1-32 of A-Z a-z 0-9 _ -: " + name);
        }
        commands.put(key(name), command);
        return this;
    }

    /** Removes the command {@code name} (ignoring case); whether there was one. */
    public boolean unregister(String name) {
        return commands.remove(key(name)) != null;
    }

    /** Whether a command {@code name} (ignoring case) is registered. */
    public boolean contains(String name) {
        return commands.containsKey(key(name));
    }

    /** The registered names, in lower case, sorted; a snapshot. */
    public NavigableSet<String> names() {
        return Collections.unmodifiableNavigableSet(new TreeSet<>(commands.keySet()));
    }

    /** The longest result text, in UTF-8 bytes. */
    public int maxResultBytes() {
        return maxResultBytes;
    }

    /**
     * The text to send as {@code /result <execId> <text>} for {@code request}: the registered command's
     * answer, or a line saying the command is unknown or failed. Never throws for a command's failure.
     *
     * @param client this client's state; {@code null} is taken as nothing known
     * @return one line: no CR or LF, no control characters except TAB (docs/protocol.md §3.4), at most
     *         {@link #maxResultBytes()} UTF-8 bytes; possibly empty
     */
    public String answer(ServerEvent.ExecRequest request, ClientState client) {
        String line = request.command().strip();
        int end = 0;
        while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
            end++;
        }
        String word = line.substring(0, end);
        String args = line.substring(end).strip();
        if (word.isEmpty()) {
            return oneLine("empty command; try help");
        }
        String name = key(word);
        ExecCommand command = Names.isWellFormed(word) ? commands.get(name) : null;
        if (command == null) {
            return oneLine("unknown command: " + abbreviate(word) + " (known: " + String.join(" ", names()) + ")");
        }
        try {
            String result = command.run(new ExecContext(request, name, args, client != null ? client : new ClientState()));
            return oneLine(result == null ? "" : result);
        } catch (Exception e) {
            log.warn(HermesMarkers.EXEC, "EXEC {} from {}: command {} failed", request.execId(), request.fromName(), name, e);
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return oneLine(name + " failed: " + why);
        }
    }

    /**
     * {@code text} as one result line: line breaks become {@link #LINE_BREAK}, other control characters
     * are removed (docs/protocol.md §3.4), and the text is cut to {@link #maxResultBytes()} UTF-8 bytes, ending in
     * {@code …} when cut.
     */
    String oneLine(String text) {
        String s = TextSanitizer.sanitize(text.strip().replace("\r\n", "\n").replace('\r', '\n').replace("\n", LINE_BREAK));
        if (s.length() * 3L <= maxResultBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxResultBytes) {
            return s;
        }
        int budget = maxResultBytes - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + bytes > budget) {
                break;
            }
            used += bytes;
            i += Character.charCount(cp);
        }
        return s.substring(0, i) + ELLIPSIS;
    }

    private static String abbreviate(String word) {
        return word.length() <= Names.MAX_LENGTH ? word : word.substring(0, Names.MAX_LENGTH) + ELLIPSIS;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** {@code 5s}, {@code 2m 5s}, {@code 1h 0m 5s}, {@code 3d 1h 0m 5s}; negative durations count as zero. */
    static String formatDuration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86_400;
        long hours = s / 3600 % 24;
        long minutes = s / 60 % 60;
        long seconds = s % 60;
        StringBuilder sb = new StringBuilder();
        if (days > 0) {
            sb.append(days).append("d ");
        }
        if (days > 0 || hours > 0) {
            sb.append(hours).append("h ");
        }
        if (days > 0 || hours > 0 || minutes > 0) {
            sb.append(minutes).append("m ");
        }
        return sb.append(seconds).append('s').toString();
    }
}
