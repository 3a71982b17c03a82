package io.hermesnet.protocol;

import java.util.Locale;

/**
 * Client names (docs/protocol.md §2 {@code /nick}): 1–32 of {@code A-Za-z0-9_-}, unique ignoring case,
 * {@code client<digits>} reserved for the defaults.
 */
public final class Names {
    /** The longest name, in characters. */
    public static final int MAX_LENGTH = 32;

    private Names() {
    }

    /** The default name of client {@code id}: {@code client<id>}. */
    public static String defaultName(long id) {
        return "client" + id;
    }

    /** Whether {@code name} has the allowed length and characters (reserved names included). */
    public static boolean isWellFormed(String name) {
        int n = name.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} has the reserved shape {@code client<digits>}, in any case. */
    public static boolean isReserved(String name) {
        if (name.length() <= 6 || !name.regionMatches(true, 0, "client", 0, 6)) {
            return false;
        }
        for (int i = 6; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The key under which names are unique: the name in lower case. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
