package io.ecsbluegreen.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService.State;
import io.ecsbluegreen.source.SourceFile;
import io.ecsbluegreen.source.SourceListing;
import io.ecsbluegreen.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredStateStoreTest {

    static String service(String name, String image) {
        return """
                apiVersion: ecsbluegreen.io/v1alpha1
                kind: BlueGreenService
                metadata:
                  name: %s
                spec:
                  cluster: prod
                  service: %s
                  taskDefinition:
                    family: %s
                    networkMode: bridge
                    containers:
                      - name: web
                        image: %s
                        memory: 256
                        portMappings:
                          - containerPort: 80
                  traffic:
                    containerName: web
                    containerPort: 80
                    blueTargetGroup: %s-blue
                    greenTargetGroup: %s-green
                    production:
                      listenerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef
                """.formatted(name, name, name, image, name, name);
    }

    static SourceFile file(String path, String version, String content) {
        return new SourceFile(path, "/repo/" + path, version, content.getBytes(StandardCharsets.UTF_8));
    }

    static SourceListing listing(String revision, SourceFile... files) {
        return new SourceListing(revision, Arrays.asList(files));
    }

    final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    final DesiredStateStore store = new DesiredStateStore(new SpecParser(), clock, List.of("dir:a", "dir:b"));

    static String image(DesiredState state, String name) {
        return state.services().get(name).spec().spec().taskDefinition().containers().get(0).image();
    }

    @Test
    void aValidFileMakesItsServicesReadyWithTheirOrigin() {
        DesiredState state = store.accept("dir:a", listing("r1", file("shop.yaml", "v1", service("shop", "nginx:1"))));
        DesiredService shop = state.services().get("shop");
        assertThat(shop.state()).isEqualTo(State.READY);
        assertThat(shop.origin()).isEqualTo(new Origin("dir:a", "/repo/shop.yaml", 4, "v1", "r1"));
        assertThat(state.sources()).extracting(SourceStatus::healthy).containsExactly(true, false);
        assertThat(state.sources().get(1).error()).isEqualTo("not synced yet");
    }

    @Test
    void aFileThatTurnsInvalidKeepsItsServiceOnTheLastGoodSpecAndReportsTheErrors() {
        store.accept("dir:a", listing("r1", file("shop.yaml", "v1", service("shop", "nginx:1"))));
        DesiredState state = store.accept("dir:a", listing("r2", file("shop.yaml", "v2",
                service("shop", "nginx:2").replace("desiredCount", "x").replace("cluster: prod", "cluster: prod\n  desiredCount: -1"))));
        DesiredService shop = state.services().get("shop");
        assertThat(shop.state()).isEqualTo(State.STALE);
        assertThat(image(state, "shop")).isEqualTo("nginx:1");
        assertThat(shop.origin().fileVersion()).isEqualTo("v1");
        assertThat(shop.origin().sourceRevision()).isEqualTo("r1");
        assertThat(shop.problems()).extracting(Object::toString)
                .containsExactly("/repo/shop.yaml:7:17: spec.desiredCount: must be between 1 and 5000, not -1");
        assertThat(state.sources().get(0).invalidFiles()).hasSize(1);

        DesiredState fixed = store.accept("dir:a", listing("r3", file("shop.yaml", "v3", service("shop", "nginx:3"))));
        assertThat(fixed.services().get("shop").state()).isEqualTo(State.READY);
        assertThat(image(fixed, "shop")).isEqualTo("nginx:3");
        assertThat(fixed.sources().get(0).invalidFiles()).isEmpty();
    }

    @Test
    void aFileWhoseVersionDidNotChangeIsNotParsedAgain() {
        store.accept("dir:a", listing("r1", file("shop.yaml", "v1", service("shop", "nginx:1"))));
        // Same version, different bytes: if the store parsed it again it would see garbage.
        DesiredState state = store.accept("dir:a", listing("r2", file("shop.yaml", "v1", "{{{ not yaml")));
        assertThat(state.services().get("shop").state()).isEqualTo(State.READY);
        assertThat(image(state, "shop")).isEqualTo("nginx:1");
    }

    @Test
    void aServiceWhoseFileIsDeletedIsReportedOrphanedAndKeepsItsSpec() {
        store.accept("dir:a", listing("r1", file("shop.yaml", "v1", service("shop", "nginx:1")),
                file("cart.yaml", "c1", service("cart", "nginx:1"))));
        DesiredState state = store.accept("dir:a", listing("r2", file("cart.yaml", "c1", service("cart", "nginx:1"))));
        assertThat(state.services().get("shop").state()).isEqualTo(State.ORPHANED);
        assertThat(image(state, "shop")).isEqualTo("nginx:1");
        assertThat(state.services().get("shop").problems().get(0).message()).contains("no longer declared");
        // Still orphaned on the next sync, until some file declares it again.
        state = store.accept("dir:a", listing("r3", file("cart.yaml", "c1", service("cart", "nginx:1"))));
        assertThat(state.services().get("shop").state()).isEqualTo(State.ORPHANED);
        state = store.accept("dir:a", listing("r4", file("cart.yaml", "c1", service("cart", "nginx:1")),
                file("moved/shop.yaml", "v9", service("shop", "nginx:9"))));
        assertThat(state.services().get("shop").state()).isEqualTo(State.READY);
    }

    @Test
    void aNameDeclaredInTwoFilesIsAConflictWhereNeitherIsAppliedAndThePreviousSpecHolds() {
        store.accept("dir:a", listing("r1", file("shop.yaml", "v1", service("shop", "nginx:1"))));
        DesiredState state = store.accept("dir:b", listing("b1", file("copy.yaml", "x1", service("shop", "nginx:666"))));
        DesiredService shop = state.services().get("shop");
        assertThat(shop.state()).isEqualTo(State.CONFLICT);
        assertThat(image(state, "shop")).isEqualTo("nginx:1");
        assertThat(shop.problems()).extracting(Object::toString).containsExactly(
                "/repo/shop.yaml:4: metadata.name: service 'shop' is also declared in /repo/copy.yaml:4; neither declaration is applied",
                "/repo/copy.yaml:4: metadata.name: service 'shop' is also declared in /repo/shop.yaml:4; neither declaration is applied");

        state = store.accept("dir:b", listing("b2"));
        assertThat(state.services().get("shop").state()).isEqualTo(State.READY);
        assertThat(image(state, "shop")).isEqualTo("nginx:1");
    }

    @Test
    void aNewNameDeclaredTwiceHasNoSpecAtAll() {
        DesiredState state = store.accept("dir:a", listing("r1", file("one.yaml", "1", service("shop", "nginx:1")),
                file("two.yaml", "2", service("shop", "nginx:2"))));
        assertThat(state.services().get("shop").state()).isEqualTo(State.CONFLICT);
        assertThat(state.services().get("shop").spec()).isNull();
    }

    @Test
    void aFailingSourceKeepsItsLastGoodSnapshotAndIsReportedUnhealthy() {
        store.accept("dir:a", listing("r1", file("shop.yaml", "v1", service("shop", "nginx:1"))));
        DesiredState state = store.failed("dir:a", "connection refused");
        assertThat(state.services().get("shop").state()).isEqualTo(State.READY);
        SourceStatus status = state.sources().get(0);
        assertThat(status.healthy()).isFalse();
        assertThat(status.error()).isEqualTo("connection refused");
        assertThat(status.revision()).isEqualTo("r1");
        assertThat(status.lastSuccess()).isEqualTo(clock.instant());

        state = store.accept("dir:a", listing("r2", file("shop.yaml", "v1", service("shop", "nginx:1"))));
        assertThat(state.sources().get(0).healthy()).isTrue();
    }

    @Test
    void aServiceOnlyEverSeenInAnInvalidFileIsReportedInvalidByName() {
        DesiredState state = store.accept("dir:a", listing("r1", file("shop.yaml", "v1",
                service("shop", "nginx:1").replace("cluster: prod", "cluster: prod\n  colour: blue"))));
        DesiredService shop = state.services().get("shop");
        assertThat(shop.state()).isEqualTo(State.INVALID);
        assertThat(shop.spec()).isNull();
        assertThat(shop.problems()).extracting(e -> e.path()).containsExactly("spec.colour");
    }
}
