package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Ignored;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Values;

/**
 * One declarative blue/green service: the document users commit to git or S3.
 *
 * @param status accepted so that the output of {@code bluegreen status -o yaml} can be committed back,
 *     but never read: status is what the operator observes, not what users want
 */
@Doc("A blue/green deployed ECS service: where it runs, what it runs, how traffic reaches it and how a new revision is rolled out.")
public record BlueGreenService(
        @Required @Values({BlueGreenService.API_VERSION})
        @Doc("Always `ecsbluegreen.io/v1alpha1`.")
        String apiVersion,

        @Required @Values({BlueGreenService.KIND})
        @Doc("Always `BlueGreenService`.")
        String kind,

        @Required
        @Doc("The service's name and labels.")
        ObjectMeta metadata,

        @Required
        @Doc("The desired state.")
        BlueGreenServiceSpec spec,

        @Ignored
        @Doc("Written by the operator; ignored in files.")
        Object status) {

    public static final String API_GROUP = "ecsbluegreen.io";
    public static final String API_VERSION = API_GROUP + "/v1alpha1";
    public static final String KIND = "BlueGreenService";

    public String name() {
        return metadata.name();
    }
}
