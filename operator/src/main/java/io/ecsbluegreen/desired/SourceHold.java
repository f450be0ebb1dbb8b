package io.ecsbluegreen.desired;

import java.time.Instant;
import java.util.List;

/**
 * A source whose newest snapshot is held by the {@link RemovalGuard}: its last good snapshot stays in
 * force until a person confirms ({@code POST /api/v1/sources/confirm}, {@code bluegreen sources confirm}
 * or {@code bluegreen.sync.removal-guard.confirm}) or the files come back.
 *
 * @param reason one of {@link RemovalGuard}'s reason constants
 * @param removed the service names the held snapshot would remove
 * @param revision the revision of the held snapshot
 * @param since when the hold began
 * @param message why, for people
 */
public record SourceHold(String reason, List<String> removed, String revision, Instant since, String message) {
    public SourceHold {
        removed = List.copyOf(removed);
    }
}
