package io.ecsbluegreen.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A directory source with two services, shop and cart, that a test adds and removes to trip the removal
 * guard; the operator reads it only when asked ({@code POST /api/v1/sources/refresh}).
 */
abstract class ShopAndCartSource implements QuarkusTestProfile {

    /** A fixed path under target/: Quarkus loads the profile in its own class loader too, and both must name one directory. */
    static Path directory(String name) {
        Path dir = Path.of("target", name).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The directory this profile's operator reads. */
    abstract Path dir();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bluegreen.sources", "dir:" + dir(), "bluegreen.sync.interval", "1h");
    }

    /** Writes shop.yaml and cart.yaml into {@code dir}, or deletes them. */
    static void files(Path dir, boolean present) throws IOException {
        String shop = Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
        for (String name : List.of("shop", "cart")) {
            Path file = dir.resolve(name + ".yaml");
            if (present) Files.writeString(file, shop.replace("shop", name));
            else Files.deleteIfExists(file);
        }
    }
}
