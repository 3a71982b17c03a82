package io.hermesnet.hub;

import io.hermesnet.protocol.ServerEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rooms of docs/protocol.md §3.7 and their turns: with rooms off every client is in one global room; with
 * {@code --room-size n} a newcomer enters the oldest incomplete room, or a new one. Owned by the
 * {@link HermesHub}'s applier.
 */
final class Rooms {
    private final int roomSize;
    private final Room global = new Room(ServerEvent.WhoEntry.NO_ROOM, 0);
    private final Map<Long, Room> byId = new LinkedHashMap<>(); // creation order
    private long lastRoomId;

    /** @param roomSize members per room, or 0 for rooms off */
    Rooms(int roomSize) {
        this.roomSize = roomSize;
    }

    /** Whether {@code room} is the one room of a server without rooms. */
    boolean isGlobal(Room room) {
        return room == global;
    }

    /** Puts {@code s} in the global room, or the oldest incomplete room (a new one if none). */
    Room enter(Session s) {
        Room room = global;
        if (roomSize > 0) {
            room = null;
            for (Room r : byId.values()) {
                if (!r.isFull()) {
                    room = r;
                    break;
                }
            }
            if (room == null) {
                room = new Room(++lastRoomId, roomSize);
                byId.put(room.id(), room);
            }
        }
        room.add(s);
        s.room(room);
        return room;
    }

    /** Takes {@code s} out of its room; an emptied room is gone. Returns the room. */
    Room leave(Session s) {
        Room room = s.room();
        room.remove(s);
        if (room != global && room.isEmpty()) {
            byId.remove(room.id());
        }
        return room;
    }

    /** The number of sized rooms (0 with rooms off). */
    int size() {
        return byId.size();
    }
}
