package io.hermesnet.codec;

import io.hermesnet.protocol.ClientCommand;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Telnet on the byte stream (docs/protocol.md §2.2), before line framing: removes every IAC sequence
 * from the input, answers option negotiation so a telnet client never waits ({@code IAC DO x} →
 * {@code IAC WONT x}, {@code IAC WILL x} → {@code IAC DONT x}, each option once per connection), and
 * turns telnet's interrupt ({@code IAC IP}, {@code IAC BRK}: what telnet sends on Ctrl-C) into a
 * {@link ClientCommand.Logout}. The answer to an {@code IAC DO TIMING-MARK} that arrives with the
 * interrupt is written before the logout's {@code BYE}.
 *
 * <p>Why before the frame decoder: telnet sends negotiation and Ctrl-C without a line end, so a line
 * framer would hold them until a LF that never comes, and telnet would wait forever.
 *
 * <p>Input without a 0xFF byte (everything but telnet's negotiation, since 0xFF is never UTF-8) passes
 * on as it is. Not sharable: holds the parser state and the options answered. Event loop only.
 */
public final class TelnetOptionHandler extends ChannelInboundHandlerAdapter {
    static final int IAC = 255;
    static final int DONT = 254;
    static final int DO = 253;
    static final int WONT = 252;
    static final int WILL = 251;
    static final int SB = 250;
    static final int IP = 244;
    static final int BRK = 243;
    static final int SE = 240;
    static final int TIMING_MARK = 6;

    private enum State { DATA, IAC, OPTION, SUB, SUB_IAC }

    private State state = State.DATA;
    private int verb; // DO, DONT, WILL or WONT while in OPTION
    // options answered, a bit per option number (DO x once, WILL x once); made at the first
    // negotiation, so the many clients that never send IAC cost no memory for it
    private long[] answeredDo;
    private long[] answeredWill;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.DATA && in.indexOf(in.readerIndex(), in.writerIndex(), (byte) IAC) < 0) {
            ctx.fireChannelRead(in); // the common case: no telnet at all
            return;
        }
        ByteBuf data = ctx.alloc().buffer(in.readableBytes());
        ByteBuf answers = null;
        boolean interrupt = false;
        try {
            for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
                int b = in.getUnsignedByte(i);
                switch (state) {
                    case DATA -> {
                        if (b == IAC) {
                            state = State.IAC;
                        } else {
                            data.writeByte(b);
                        }
                    }
                    case IAC -> {
                        state = State.DATA;
                        if (b == DO || b == DONT || b == WILL || b == WONT) {
                            verb = b;
                            state = State.OPTION;
                        } else if (b == SB) {
                            state = State.SUB;
                        } else if (b == IP || b == BRK) {
                            interrupt = true;
                        }
                        // IAC IAC (a literal 0xFF, never UTF-8) and other commands (AYT, NOP, …) are dropped
                    }
                    case OPTION -> {
                        state = State.DATA;
                        int answer = answer(verb, b);
                        if (answer != 0) {
                            if (answers == null) {
                                answers = ctx.alloc().buffer(6);
                            }
                            answers.writeByte(IAC).writeByte(answer).writeByte(b);
                        }
                    }
                    case SUB -> state = b == IAC ? State.SUB_IAC : State.SUB;
                    case SUB_IAC -> state = b == SE ? State.DATA : State.SUB;
                }
            }
        } finally {
            in.release();
        }
        if (answers != null) {
            ctx.writeAndFlush(answers);
        }
        if (data.isReadable()) {
            ctx.fireChannelRead(data);
        } else {
            data.release();
        }
        if (interrupt) {
            ctx.fireChannelRead(new ClientCommand.Logout());
        }
    }

    /** The verb answering {@code IAC verb option}, or 0 when none is owed (refusals, or answered before). */
    private int answer(int verb, int option) {
        if (answeredDo == null) {
            answeredDo = new long[4];
            answeredWill = new long[4];
        }
        if (verb == DO && mark(answeredDo, option)) {
            return WONT;
        }
        if (verb == WILL && mark(answeredWill, option)) {
            return DONT;
        }
        return 0;
    }

    /** Sets {@code option}'s bit; returns whether it was clear. */
    private static boolean mark(long[] bits, int option) {
        long bit = 1L << (option & 63);
        int word = option >>> 6;
        if ((bits[word] & bit) != 0) {
            return false;
        }
        bits[word] |= bit;
        return true;
    }
}
