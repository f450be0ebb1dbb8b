package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.DecimalRange;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.time.Duration;
import java.util.List;

/** A burst of HTTP requests whose success rate is compared with a threshold. */
@Doc("Send `requests` HTTP GETs; the share answered with an expected status must reach `successRate`.")
public record HttpProbeCheck(
        @Required @Pattern(value = Patterns.HOOK_URL, hint = Patterns.HOOK_URL_HINT)
        @Doc("URL; `{testEndpoint}` and `{productionEndpoint}` are replaced by the listeners' base URLs.")
        String url,

        @Size(max = 20) @Range(min = 100, max = 599)
        @Doc("Status codes that count as success; any 2xx when empty.")
        List<Integer> expectStatus,

        @Default("0.99") @DecimalRange(min = 0, max = 1)
        @Doc("Lowest passing share of successful requests.")
        Double successRate,

        @Default("10") @Range(min = 1, max = 1000)
        @Doc("Requests per measurement.")
        Integer requests,

        @Default("5s") @DurationRange(min = "100ms", max = "1m")
        @Doc("Timeout of each request.")
        Duration timeout) {}
