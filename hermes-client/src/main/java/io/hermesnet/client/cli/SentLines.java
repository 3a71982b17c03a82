package io.hermesnet.client.cli;

import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.ServerEvent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines sent on one connection that the server may still refuse, so a refusal ({@code ERROR}) can be
 * shown with the line it refers to, and the EXECs still waiting for their {@code RESULT}, so piped
 * input can wait for them before logging out.
 *
 * <p>The server reads a connection's lines in order and answers each at once (docs/protocol.md), so an
 * {@code ERROR} refers to the oldest sent line that could have caused it; every line sent before that
 * one was accepted and is dropped. An in-order answer ({@code NAME}, {@code END WHO}, {@code END HELP},
 * {@code OK EXEC}) settles its line and every line before it the same way. Chat has no answer when it
 * is accepted, so at most {@link #MAX_TRACKED} lines are kept.
 *
 * <p>Thread-safe: the main thread adds sent lines, the event loop matches the server's answers.
 */
final class SentLines {
    /** Most lines kept; chat is never answered when accepted, so the oldest are forgotten. */
    static final int MAX_TRACKED = 256;

    /** {@code ERROR NO_SUCH_EXEC <execId> no answer}: an EXEC that ended without a result. */
    private static final Pattern NO_ANSWER = Pattern.compile("(\\d+) no answer.*");

    /** One sent line; {@code auto} for the client's own {@code /nick} at connect. */
    record Sent(String line, LineKind kind, boolean auto) {
    }

    private final Deque<Sent> lines = new ArrayDeque<>();
    private final Set<Long> execIds = new HashSet<>();
    private int execsUnanswered;

    synchronized void sent(String line, boolean auto) {
        LineKind kind = LineKind.of(line);
        if (kind == null || kind == LineKind.LOGOUT) {
            return;
        }
        if (kind == LineKind.EXEC) {
            execsUnanswered++;
        }
        lines.addLast(new Sent(line, kind, auto));
        while (lines.size() > MAX_TRACKED) {
            lines.removeFirst();
        }
    }

    /**
     * Reads one server event: returns the sent line an {@code ERROR} refuses, or {@code null} when it is
     * not a refusal of a line sent here (or for any other event).
     */
    synchronized Sent answer(ServerEvent event) {
        if (event instanceof ServerEvent.Name) {
            settle(EnumSet.of(LineKind.NICK));
        } else if (event instanceof ServerEvent.WhoEnd) {
            settle(EnumSet.of(LineKind.WHO));
        } else if (event instanceof ServerEvent.HelpEnd) {
            settle(EnumSet.of(LineKind.HELP));
        } else if (event instanceof ServerEvent.ExecAccepted e) {
            if (settle(EnumSet.of(LineKind.EXEC)) != null) {
                execsUnanswered = Math.max(0, execsUnanswered - 1);
                execIds.add(e.execId());
            }
        } else if (event instanceof ServerEvent.ExecResult e) {
            execIds.remove(e.execId());
        } else if (event instanceof ServerEvent.Error e) {
            if (e.code() == ErrorCode.NO_SUCH_EXEC) {
                Matcher m = NO_ANSWER.matcher(e.text());
                if (m.matches() && execIds.remove(Long.parseLong(m.group(1)))) {
                    return null; // an EXEC of ours that ended unanswered, not a refusal of a line
                }
            }
            Sent refused = settle(causes(e.code()));
            if (refused != null && refused.kind() == LineKind.EXEC) {
                execsUnanswered = Math.max(0, execsUnanswered - 1);
            }
            return refused;
        }
        return null;
    }

    /** Whether every EXEC sent here has its answer: {@code RESULT}, a refusal, or "no answer". */
    synchronized boolean execsSettled() {
        return execsUnanswered == 0 && execIds.isEmpty();
    }

    /** Removes and returns the oldest line of one of {@code kinds}, dropping the lines sent before it. */
    private Sent settle(Set<LineKind> kinds) {
        if (kinds.isEmpty()) {
            return null;
        }
        int skip = 0;
        for (Iterator<Sent> it = lines.iterator(); it.hasNext(); skip++) {
            Sent s = it.next();
            if (kinds.contains(s.kind())) {
                for (int i = 0; i <= skip; i++) {
                    lines.removeFirst();
                }
                return s;
            }
        }
        return null;
    }

    /** The kinds of line the server answers with {@code code} (docs/protocol.md, the ERROR codes). */
    private static Set<LineKind> causes(ErrorCode code) {
        switch (code) {
            case NOT_READY:
            case NOT_YOUR_TURN:
                return EnumSet.of(LineKind.CHAT);
            case UNKNOWN_COMMAND:
                return EnumSet.of(LineKind.UNKNOWN, LineKind.MSG, LineKind.HELP);
            case BAD_ARGS:
                return EnumSet.of(LineKind.MALFORMED, LineKind.NICK, LineKind.EXEC, LineKind.MSG, LineKind.RESULT);
            case FORBIDDEN:
            case NO_SUCH_RANK:
                return EnumSet.of(LineKind.EXEC);
            case NAME_TAKEN:
                return EnumSet.of(LineKind.NICK);
            case NO_SUCH_NAME:
                return EnumSet.of(LineKind.MSG);
            case NO_SUCH_EXEC:
                return EnumSet.of(LineKind.RESULT);
            case RATE_LIMITED:
            case LINE_TOO_LONG:
            case BAD_ENCODING:
                return EnumSet.allOf(LineKind.class);
            default:
                return EnumSet.noneOf(LineKind.class); // FULL and newer codes refer to no line
        }
    }
}
