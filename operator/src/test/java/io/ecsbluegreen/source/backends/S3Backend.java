package io.ecsbluegreen.source.backends;

import java.net.URI;

/** An S3 wire-protocol endpoint a scenario runs against: the simulator, LocalStack or Floci. */
public record S3Backend(String name, URI endpoint, String region, String accessKey, String secretKey) {}
