package io.hermesnet.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class LeakDetectionTest {

    /** Records its reports instead of logging them, so this test prints no "LEAK:" for the build's gate. */
    private static final class RecordingDetector extends ResourceLeakDetector<Object> {
        final List<String> reports = new CopyOnWriteArrayList<>();

        RecordingDetector() {
            super(Object.class, 1);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            reports.add(resourceType);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            reports.add(resourceType);
        }
    }

    /** Tracks an object and drops it without closing its tracker: a leak once it is collected. */
    private static void leakOne(RecordingDetector detector) {
        detector.track(new Object());
    }

    @Test
    void afterAwaitingCollectionTheNextTrackReportsTheLeak() {
        RecordingDetector detector = new RecordingDetector();
        leakOne(detector);
        assertTrue(LeakDetection.awaitCollection(), "System.gc() collected the canary");
        assertTrue(LeakDetection.awaitCollection());
        Object kept = new Object();
        ResourceLeakTracker<Object> tracker = detector.track(kept);
        assertEquals(List.of("Object"), detector.reports);
        tracker.close(kept);
    }
}
