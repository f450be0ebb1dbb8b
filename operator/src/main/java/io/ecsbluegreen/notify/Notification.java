package io.ecsbluegreen.notify;

import io.ecsbluegreen.events.Event;
import java.util.Objects;
import java.util.UUID;

/**
 * One event on its way to the receivers, with the id that every receiver sees for it: a receiver that
 * gets the same id twice (a retry whose first answer was lost) can drop the second.
 *
 * @param id a random UUID, the same for every receiver and every attempt
 * @param event what happened
 */
public record Notification(String id, Event event) {

    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
    }

    /** A notification of {@code event} with a new id. */
    public static Notification of(Event event) {
        return new Notification(UUID.randomUUID().toString(), event);
    }
}
