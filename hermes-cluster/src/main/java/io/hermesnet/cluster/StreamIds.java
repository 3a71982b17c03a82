package io.hermesnet.cluster;

/** Redis Stream entry ids, {@code <ms>-<seq>}: compared as the pair of numbers they are. */
final class StreamIds {
    static final String ZERO = "0-0";

    private StreamIds() {
    }

    /**
     * Negative, zero or positive as {@code a} is before, equal to or after {@code b}. Parses in place:
     * it runs a few times for every chat line a node receives.
     *
     * @throws NumberFormatException when either is not {@code <ms>[-<seq>]} in decimal
     */
    static int compare(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        long ma = Long.parseLong(a, 0, da < 0 ? a.length() : da, 10);
        long mb = Long.parseLong(b, 0, db < 0 ? b.length() : db, 10);
        if (ma != mb) {
            return Long.compare(ma, mb);
        }
        long sa = da < 0 ? 0 : Long.parseLong(a, da + 1, a.length(), 10);
        long sb = db < 0 ? 0 : Long.parseLong(b, db + 1, b.length(), 10);
        return Long.compare(sa, sb);
    }
}
