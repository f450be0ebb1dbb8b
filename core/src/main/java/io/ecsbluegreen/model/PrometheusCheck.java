package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.AtLeastOneOf;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;

/** A Prometheus instant query whose single value is compared with thresholds. */
@AtLeastOneOf({"max", "min"})
@Doc("A Prometheus instant query returning one value, with at least one of `max` or `min`.")
public record PrometheusCheck(
        @Required @Size(min = 1, max = 4096)
        @Doc("PromQL; `{{service}}` and `{{revision}}` are replaced before the query runs.")
        String query,

        @Doc("Highest passing value.")
        Double max,

        @Doc("Lowest passing value.")
        Double min,

        @Pattern(value = Patterns.HTTP_URL, hint = Patterns.HTTP_URL_HINT)
        @Doc("Prometheus base URL; `analysis.prometheusAddress` when absent.")
        String address) {}
