package io.hermesnet.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ChatRun}: a run of chat lines as the one value of a chat stream entry (docs/cluster.md "Streams"). */
class ChatRunTest {

    @Test
    void linesComeBackAsTheyWentWithTheRepeatedAfterWrittenOnce() {
        List<ChatRun.Line> lines = List.of(
                new ChatRun.Line("1796495312650-0", 12, "hello"),
                new ChatRun.Line("1796495312650-0", 14, "hi there"),
                new ChatRun.Line("1796495312657-3", 12, ""),
                new ChatRun.Line("1796495312657-3", 9, "spaces  and = 3 5 signs\tand tabs"),
                new ChatRun.Line("1796495312658-0", 7, "ünïcødé ✓ 𝄞 emoji 😀"));
        String run = ChatRun.encode(lines);
        assertEquals("1796495312650-0 12 5 hello\n= 14 8 hi there\n1796495312657-3 12 0 \n= 9 32 spaces  and = 3 5 signs\tand tabs\n"
                + "1796495312658-0 7 " + "ünïcødé ✓ 𝄞 emoji 😀".length() + " ünïcødé ✓ 𝄞 emoji 😀\n", run);
        assertEquals(lines, ChatRun.decode(run));
    }

    @Test
    void aTextThatLooksLikeTheNextLineIsReadByItsLength() {
        List<ChatRun.Line> lines = List.of(new ChatRun.Line("1-0", 1, "x\n= 2 1 y"), new ChatRun.Line("1-0", 3, "z"));
        assertEquals(lines, ChatRun.decode(ChatRun.encode(lines)));
    }

    @Test
    void anEmptyRunHasNoLines() {
        assertEquals(List.of(), ChatRun.decode(ChatRun.encode(List.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "= 1 2 hi\n",                 // the first line refers to a previous one
        "1-0 1 5 hi\n",               // the length runs past the end
        "1-0 1 1 hi\n",               // the length ends before the LF
        "1-0 x 2 hi\n",               // not a client id
        "1-0 1 -1 hi\n",              // a negative length
        "1-0 1 2",                    // cut short
        "1-0 1 2 hi",                 // no LF
        " 1 2 hi\n",                  // an empty after
        "abc 1 2 hi\n",               // not a stream id
        "99999999999999999999-0 1 2 hi\n", // a stream id too large to compare
        "1-0 1 2 hi\n2-0 1 2 ho",     // a good line, then a bad one: nothing
    })
    void aRunThatIsNotWhatEncodeWritesIsRefusedWhole(String run) {
        assertThrows(IllegalArgumentException.class, () -> ChatRun.decode(run));
    }
}
