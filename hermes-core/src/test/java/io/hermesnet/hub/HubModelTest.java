package io.hermesnet.hub;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomised join/leave/chat/nick/EXEC/RESULT sequences (seeded, so a failure replays) checked line
 * for line against {@link HubModel}: ranks stay exactly 0..n-1 with RANK lines for exactly those who
 * moved (docs/protocol.md §3.5); no EXEC from an equal or lower rank ever reaches a target and RESULTs route only
 * from the target (§3.6); rooms fill the oldest incomplete room, refill and are dropped when empty,
 * turns pass in join order (§3.7); presence lines exactly once (§3.3); everything back to empty at the end.
 */
class HubModelTest {
    private static final int STEPS = 400;
    private static final List<String> NAMES = List.of("ann", "Ann", "bob", "BOB", "cy", "dee_1", "Eve-2");

    private static HermesConfig.Builder base() {
        return HermesConfig.builder().tickInterval(Duration.ZERO).maxClients(1000);
    }

    /** Runs {@code STEPS} random operations; {@code maxLive} bounds how many clients are connected. */
    private static void run(HermesConfig config, long seed, int maxLive, int execWeight) {
        Random rnd = new Random(seed);
        try (HubModel model = new HubModel(config)) {
            for (int step = 0; step < STEPS; step++) {
                int n = model.ranked.size();
                int dice = rnd.nextInt(100);
                if (n == 0 || n < maxLive && dice < 30) {
                    model.join();
                } else if (dice < 45) {
                    model.leave(model.any(rnd), HubModel.Exit.values()[rnd.nextInt(3)]);
                } else if (dice < 45 + execWeight) {
                    HubModel.Member issuer = model.any(rnd);
                    int target = rnd.nextInt(n + 2);
                    model.exec(issuer, target, "echo step " + step, rnd.nextBoolean());
                } else if (dice < 45 + 2 * execWeight) {
                    HubModel.Member from = model.any(rnd);
                    long mine = model.pendingFor(from);
                    long id = mine >= 0 && rnd.nextInt(3) > 0 ? mine : rnd.nextLong(model.lastExecId() + 3);
                    model.result(from, id, rnd.nextBoolean() ? "done " + step : "");
                } else if (dice < 90) {
                    model.chat(model.any(rnd), "line " + step + " from the test");
                } else {
                    model.nick(model.any(rnd), NAMES.get(rnd.nextInt(NAMES.size())));
                }
            }
            model.leaveAll(rnd);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2026})
    void globalRoomRanksPresenceAndChat(long seed) {
        run(base().build(), seed, 10, 5);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 1234})
    void execNeverReachesATargetFromAnEqualOrLowerRank(long seed) {
        Random rnd = new Random(seed);
        try (HubModel model = new HubModel(base().build())) {
            for (int i = 0; i < 6; i++) {
                model.join();
            }
            for (int step = 0; step < STEPS; step++) {
                int n = model.ranked.size();
                int dice = rnd.nextInt(100);
                if (n < 2 || n < 9 && dice < 10) {
                    model.join();
                } else if (dice < 20) {
                    model.leave(model.any(rnd), HubModel.Exit.values()[rnd.nextInt(3)]);
                } else if (dice < 70) {
                    model.exec(model.any(rnd), rnd.nextInt(n + 1), "cmd " + step, rnd.nextBoolean());
                } else {
                    HubModel.Member from = model.any(rnd);
                    long mine = model.pendingFor(from);
                    long id = mine >= 0 && rnd.nextBoolean() ? mine : rnd.nextLong(model.lastExecId() + 2);
                    model.result(from, id, "r" + step);
                }
            }
            assertTrue(model.execsAllowed() > 30, "the sequence exercised allowed EXECs");
            assertTrue(model.execLinesChecked() == model.execsAllowed(), "every allowed EXEC reached its target");
            model.leaveAll(rnd);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11})
    void roomsOfTwo(long seed) {
        run(base().roomSize(2).build(), seed, 9, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21})
    void roomsOfThree(long seed) {
        run(base().roomSize(3).echo(true).build(), seed, 11, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31})
    void roomsOfTwoWithTurns(long seed) {
        run(base().roomSize(2).turns(true).build(), seed, 9, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {41})
    void roomsOfThreeWithTurnsAndEcho(long seed) {
        run(base().roomSize(3).turns(true).echo(true).build(), seed, 10, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {51})
    void admissionLimitUnderChurn(long seed) {
        run(base().maxClients(4).roomSize(2).build(), seed, 7, 3);
    }
}
