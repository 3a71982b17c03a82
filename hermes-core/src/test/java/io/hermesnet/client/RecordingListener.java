package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;

/** A {@link ClientListener} that records every callback, for EmbeddedChannel tests. */
final class RecordingListener implements ClientListener {
    final List<ServerEvent> events = new ArrayList<>();
    final List<ExecAnswered> answered = new ArrayList<>();
    final List<String> badLines = new ArrayList<>();
    final List<Throwable> disconnectCauses = new ArrayList<>();
    int connected;
    int disconnected;

    @Override
    public void onEvent(ServerEvent event) {
        events.add(event);
    }

    @Override
    public void onConnected(Channel channel) {
        connected++;
    }

    @Override
    public void onExecAnswered(ServerEvent.ExecRequest request, String result) {
        answered.add(new ExecAnswered(request, result));
    }

    @Override
    public void onBadLine(String reason) {
        badLines.add(reason);
    }

    @Override
    public void onDisconnected(Channel channel, Throwable cause) {
        disconnected++;
        disconnectCauses.add(cause);
    }
}
