package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An HTTP call whose status (and optionally body) decides the hook. */
@Doc("Call an HTTP endpoint; the status code (and optionally the body) decides.")
public record HttpHook(
        @Default("GET")
        @Doc("HTTP method.")
        HttpMethod method,

        @Required @Pattern(value = Patterns.HOOK_URL, hint = Patterns.HOOK_URL_HINT)
        @Doc("URL; `{testEndpoint}` and `{productionEndpoint}` are replaced by the listeners' base URLs.")
        String url,

        @Size(max = 50)
        @Doc("Request headers.")
        Map<String, String> headers,

        @Size(max = 65536)
        @Doc("Request body.")
        String body,

        @Size(max = 20) @Range(min = 100, max = 599)
        @Doc("Status codes that mean success; any 2xx when empty.")
        List<Integer> expectStatus,

        @Size(max = 1000)
        @Doc("A regular expression the response body must contain a match for.")
        String bodyPattern,

        @Default("3") @Range(min = 0, max = 20)
        @Doc("Retries after a failed call, within the hook's timeout.")
        Integer retries,

        @Default("5s") @DurationRange(min = "100ms", max = "10m")
        @Doc("Wait before the first retry; doubled at each retry.")
        Duration retryBackoff) {}
