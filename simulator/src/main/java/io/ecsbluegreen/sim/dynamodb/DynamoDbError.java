package io.ecsbluegreen.sim.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A DynamoDB error as the service answers it: HTTP status, the error's shape id (the SDK reads the name
 * after {@code #}), its message, and for a failed condition the item as it stood when
 * {@code ReturnValuesOnConditionCheckFailure=ALL_OLD} asked for it.
 */
final class DynamoDbError extends RuntimeException {
    private static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";

    final int status;
    final String type;
    final transient JsonNode item;

    private DynamoDbError(int status, String type, String message, JsonNode item) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.item = item;
    }

    /** A request the service model or DynamoDB's rules reject. */
    static DynamoDbError validation(String message) {
        return new DynamoDbError(400, "com.amazon.coral.validate#ValidationException", message, null);
    }

    static DynamoDbError serialization(String message) {
        return new DynamoDbError(400, "com.amazon.coral.service#SerializationException", message, null);
    }

    static DynamoDbError unknownOperation() {
        return new DynamoDbError(400, "com.amazon.coral.service#UnknownOperationException", null, null);
    }

    static DynamoDbError notFound(String message) {
        return new DynamoDbError(400, DYNAMODB + "ResourceNotFoundException", message, null);
    }

    static DynamoDbError inUse(String message) {
        return new DynamoDbError(400, DYNAMODB + "ResourceInUseException", message, null);
    }

    static DynamoDbError conditionFailed(JsonNode item) {
        return new DynamoDbError(400, DYNAMODB + "ConditionalCheckFailedException", "The conditional request failed", item);
    }

    /** A caller the simulator was told to cut off, as a network partition or a missing permission would. */
    static DynamoDbError accessDenied(String userAgent) {
        return new DynamoDbError(400, "com.amazon.coral.service#AccessDeniedException",
                "User is not authorized to access this resource (the simulator refuses this caller: " + userAgent + ")", null);
    }

    static DynamoDbError throttled() {
        return new DynamoDbError(400, "com.amazon.coral.availability#ThrottlingException", "Rate exceeded", null);
    }

    static DynamoDbError internal(int status) {
        return new DynamoDbError(status, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error", null);
    }

    /** The short name of the error, as clients report it. */
    String code() {
        return type.substring(type.indexOf('#') + 1);
    }
}
