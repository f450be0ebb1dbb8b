package io.ecsbluegreen.source;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real git repository made with JGit, served to the operator over {@code git:file://}. */
public class GitRepositoryResource implements QuarkusTestResourceLifecycleManager {

    /** The upstream repository the test commits to; a test resource has no other way to share it. */
    static volatile Upstream upstream;
    static volatile String firstCommit;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("bluegreen-upstream");
            upstream = Upstream.create(dir);
            String shop = Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
            firstCommit = upstream.commit("shop v1", Map.of("services/prod/shop.yaml", shop, "README.md", "deploy repo\n")).name();
            Path work = Files.createTempDirectory("bluegreen-work");
            return Map.of(
                    "bluegreen.sources", "git:" + upstream.url() + "?branch=main&path=services/prod",
                    "bluegreen.sync.interval", "1h",
                    "bluegreen.sync.work-dir", work.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (upstream != null) upstream.close();
    }
}
