package io.ecsbluegreen.sim.spi;

import java.util.OptionalInt;

/**
 * What Application Auto Scaling needs from the ECS side: whether a service it registers exists, and its
 * desired count, which registering a range brings inside the range. Implemented by the ECS simulation;
 * thread-safe.
 */
public interface ScalableServices {

    /** Nothing exists: every registration is refused. */
    ScalableServices NONE = new ScalableServices() {
        @Override
        public OptionalInt desiredCount(String cluster, String service) {
            return OptionalInt.empty();
        }

        @Override
        public void setDesiredCount(String cluster, String service, int count) {
            throw new IllegalStateException("no ECS simulation");
        }
    };

    /** The desired count of an ACTIVE service; empty when the cluster or service does not exist or is not active. */
    OptionalInt desiredCount(String cluster, String service);

    /** Sets an ACTIVE service's desired count, as Application Auto Scaling does through UpdateService. */
    void setDesiredCount(String cluster, String service, int count);
}
