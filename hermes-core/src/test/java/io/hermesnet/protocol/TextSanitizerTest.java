package io.hermesnet.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link TextSanitizer}: the control characters docs/protocol.md §3.4 removes, one character at a time. */
class TextSanitizerTest {

    @Test
    void removesExactlyC0ExceptTabDelAndC1() {
        for (char c = 0; c < 0x100; c++) {
            boolean expected = c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f;
            assertEquals(expected, TextSanitizer.isRemoved(c), "U+" + Integer.toHexString(c));
        }
        assertFalse(TextSanitizer.isRemoved('\u00a0'));
        assertFalse(TextSanitizer.isRemoved('\u2028'));
        assertFalse(TextSanitizer.isRemoved('\ud83d')); // half of a surrogate pair: emoji stay whole
    }

    @Test
    void removesCharactersNotWholeEscapeSequences() {
        assertEquals("[2J[Hhello", TextSanitizer.sanitize("\u001b[2J\u001b[Hhello"));
        assertEquals("]0;title", TextSanitizer.sanitize("\u001b]0;title\u0007"));
        assertEquals("31mred", TextSanitizer.sanitize("\u009b31mred"));
    }

    @Test
    void keepsTabAndPrintableText() {
        assertEquals("a\tb", TextSanitizer.sanitize("a\tb"));
        assertEquals("héllo ☃ 😀 ü", TextSanitizer.sanitize("h\u0000éllo ☃ \r\n😀 ü\u007f"));
    }

    @Test
    void removesEverythingFromAllControlText() {
        assertEquals("", TextSanitizer.sanitize("\u0000\u0001\u001b\u007f\u0080\u009f\r\n"));
        assertEquals("", TextSanitizer.sanitize(""));
    }

    @Test
    void controlAtEitherEndOrRepeated() {
        assertEquals("abc", TextSanitizer.sanitize("\u001babc"));
        assertEquals("abc", TextSanitizer.sanitize("abc\u001b"));
        assertEquals("abc", TextSanitizer.sanitize("a\u001b\u001b\u001bb\u0085\u0085c"));
    }

    @Test
    void cleanTextIsReturnedAsIs() {
        String clean = "nothing to remove\there";
        assertSame(clean, TextSanitizer.sanitize(clean));
    }
}
