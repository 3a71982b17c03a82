package io.hermesnet.client.cli;

import io.hermesnet.protocol.Names;

/** The default {@code USERNAME}: the OS user name made into a valid HermesNet name (docs/protocol.md §2 {@code /nick}). */
final class UserNames {
    /** The name used when the OS user name has nothing usable in it. */
    static final String FALLBACK = "user";

    private UserNames() {
    }

    /**
     * {@code osName} with every character outside {@code A-Za-z0-9_-} replaced by {@code _}, cut to
     * {@link Names#MAX_LENGTH}; {@link #FALLBACK} when empty or only replacements; prefixed with
     * {@code u-} when it has the reserved shape {@code client<digits>}.
     */
    static String fromOs(String osName) {
        if (osName == null) {
            return FALLBACK;
        }
        StringBuilder sb = new StringBuilder();
        boolean usable = false;
        for (int i = 0; i < osName.length() && sb.length() < Names.MAX_LENGTH; i++) {
            char c = osName.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            sb.append(ok ? c : '_');
            usable |= ok;
        }
        if (!usable) {
            return FALLBACK;
        }
        String name = sb.toString();
        if (Names.isReserved(name)) {
            name = ("u-" + name).substring(0, Math.min(Names.MAX_LENGTH, name.length() + 2));
        }
        return name;
    }
}
