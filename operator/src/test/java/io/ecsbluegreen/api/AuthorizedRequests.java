package io.ecsbluegreen.api;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** Requests that carry the test profile's API token ({@code %test.bluegreen.api.token}). */
public final class AuthorizedRequests {
    public static final String TOKEN = "test-token";

    private AuthorizedRequests() {}

    public static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }
}
