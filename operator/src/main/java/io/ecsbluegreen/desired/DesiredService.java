package io.ecsbluegreen.desired;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.spec.SpecError;
import java.util.List;

/**
 * What the operator currently wants for one service name, and how sure it is.
 *
 * @param spec the spec to converge to; for {@link State#STALE} and {@link State#ORPHANED} the last good
 *     one, and for {@link State#CONFLICT} the one applied before the conflict; null when none was ever valid
 * @param origin where {@code spec} was read; null with {@code spec}
 * @param problems why the state is not {@link State#READY}
 */
public record DesiredService(String name, State state, BlueGreenService spec, Origin origin, List<SpecError> problems) {

    public DesiredService {
        problems = List.copyOf(problems);
    }

    /** How a service's desired state stands. */
    public enum State {
        /** Declared once, in a valid file. */
        READY,
        /** Its file is now invalid; the last good spec still holds. */
        STALE,
        /** Declared by two or more files; none of them is applied. */
        CONFLICT,
        /** Only ever seen in invalid files. */
        INVALID,
        /** Its file was deleted; nothing is deleted in AWS, the service is only reported. */
        ORPHANED
    }
}
