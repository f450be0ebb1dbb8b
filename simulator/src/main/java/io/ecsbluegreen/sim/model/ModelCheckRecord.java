package io.ecsbluegreen.sim.model;

import java.util.List;

/**
 * One request the model check saw.
 *
 * @param service the SigV4 signing name ({@code ecs}, {@code elasticloadbalancing}, ...)
 * @param operation the API operation
 * @param violations what the request broke; empty for a valid request
 */
public record ModelCheckRecord(String service, String operation, List<Violation> violations) {

    public ModelCheckRecord {
        violations = List.copyOf(violations);
    }
}
