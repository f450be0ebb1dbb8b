package io.ecsbluegreen.plan;

import java.time.Instant;
import java.util.Optional;

/**
 * The value of {@link Tags#DESIRED_COUNT}: {@code COUNT@EPOCH_SECONDS}, the desired count the task sets
 * scale to (followed from the service, or the spec's fixed one the operator set) and since when. A restart
 * reads it back: a count that differs from it changed since the last pass, and while the count is younger
 * than the progress deadline, green's tasks starting or stopping for it are scaling, not lost health.
 */
record CountTag(int count, Instant since) {

    static Optional<CountTag> parse(String text) {
        return Tags.numberAt(text, CountTag::new);
    }

    @Override
    public String toString() {
        return count + "@" + since.getEpochSecond();
    }
}
