package io.hermesnet.cluster;

/** Redis Stream entry ids, {@code <ms>-<seq>}: compared as the pair of numbers they are. */
final class StreamIds {
    static final String ZERO = "0-0";

    private StreamIds() {
    }

    /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
    static int compare(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        long ma = Long.parseLong(da < 0 ? a : a.substring(0, da));
        long mb = Long.parseLong(db < 0 ? b : b.substring(0, db));
        if (ma != mb) {
            return Long.compare(ma, mb);
        }
        long sa = da < 0 ? 0 : Long.parseLong(a.substring(da + 1));
        long sb = db < 0 ? 0 : Long.parseLong(b.substring(db + 1));
        return Long.compare(sa, sb);
    }
}
