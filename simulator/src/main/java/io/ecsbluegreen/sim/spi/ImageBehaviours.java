package io.ecsbluegreen.sim.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which images are healthy, controllable by tests and by the seed file. An image is matched exactly
 * first, then by its repository without the tag ({@code greeter} for {@code greeter:2.0.0}), then by the
 * longest matching prefix of a pattern ending in {@code *}; unmatched images are healthy.
 */
public final class ImageBehaviours {
    private final Map<String, ImageBehaviour> rules = new ConcurrentHashMap<>();

    /** Sets the behaviour of an image, a repository, or a prefix pattern ending in {@code *}. */
    public ImageBehaviours set(String image, ImageBehaviour behaviour) {
        rules.put(image, behaviour);
        return this;
    }

    public void clear() {
        rules.clear();
    }

    /** The behaviour of {@code image}. */
    public ImageBehaviour of(String image) {
        ImageBehaviour exact = rules.get(image);
        if (exact != null) return exact;
        int colon = image.lastIndexOf(':');
        int slash = image.lastIndexOf('/');
        if (colon > slash) {
            ImageBehaviour repository = rules.get(image.substring(0, colon));
            if (repository != null) return repository;
        }
        String best = null;
        for (String pattern : rules.keySet()) {
            if (pattern.endsWith("*") && image.startsWith(pattern.substring(0, pattern.length() - 1))
                    && (best == null || pattern.length() > best.length())) {
                best = pattern;
            }
        }
        return best != null ? rules.get(best) : ImageBehaviour.healthy();
    }
}
