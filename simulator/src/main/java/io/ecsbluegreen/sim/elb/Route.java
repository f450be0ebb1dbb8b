package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.spi.SimTask;
import java.util.List;

/**
 * What a listener does with one request, decided under the store's lock and carried out outside it.
 *
 * @param kind fixed response, redirect, error answered by the load balancer, or forward to a target
 * @param status the status of a fixed response, redirect or load balancer error
 * @param targetGroupArn forward (and errors of a forward): the chosen target group
 * @param targetId forward: the chosen target's id
 * @param task forward: the simulated ECS task behind the target, or null
 * @param appUp forward to a simulated target: whether its app accepts connections right now
 * @param setCookies {@code Set-Cookie} values for stickiness
 */
record Route(Kind kind, int status, String contentType, String body, String location, String targetGroupArn,
             String targetGroupName, String targetId, int targetPort, SimTask task, boolean appUp,
             String healthCheckPath, List<String> setCookies) {

    enum Kind { FIXED, REDIRECT, ELB_ERROR, FORWARD }

    static Route fixed(Action.FixedResponse response) {
        return new Route(Kind.FIXED, Integer.parseInt(response.statusCode()), response.contentType(),
                response.messageBody(), null, null, null, null, 0, null, false, null, List.of());
    }

    static Route redirect(int status, String location) {
        return new Route(Kind.REDIRECT, status, null, null, location, null, null, null, 0, null, false, null, List.of());
    }

    static Route elbError(int status, String targetGroupArn, String targetGroupName) {
        return new Route(Kind.ELB_ERROR, status, null, null, null, targetGroupArn, targetGroupName, null, 0, null, false,
                null, List.of());
    }
}
