package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;

/** A port the container listens on. */
@Doc("A port the container listens on.")
public record PortMapping(
        @Required @Range(min = 1, max = 65535)
        @Doc("Container port.")
        Integer containerPort,

        @Range(min = 0, max = 65535)
        @Doc("Host port; only for bridge and host network modes (awsvpc uses the container port).")
        Integer hostPort,

        @Default("tcp")
        @Doc("Transport protocol.")
        TransportProtocol protocol,

        @Pattern(value = Patterns.OBJECT_NAME, hint = Patterns.OBJECT_NAME_HINT)
        @Doc("Port name, for Service Connect.")
        String name,

        @Doc("Application protocol, for Service Connect.")
        AppProtocol appProtocol) {}
