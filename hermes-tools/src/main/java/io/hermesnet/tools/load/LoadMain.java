package io.hermesnet.tools.load;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * Entry point of the {@code hermes-load} launcher: runs {@link LoadCommand} and exits with its code
 * (0 ok, 1 loss, 2 bad arguments, 3 setup failed, 4 timeout).
 */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(String[] args) {
        // The launcher ships log4j-api (hermes-core's logging API) but no log4j implementation: Netty's own
        // few log lines go to java.util.logging rather than making log4j warn that it has no provider.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        System.exit(LoadCommand.commandLine(new LoadCommand()).execute(args));
    }
}
