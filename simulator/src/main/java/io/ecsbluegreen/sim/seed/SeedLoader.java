package io.ecsbluegreen.sim.seed;

import io.ecsbluegreen.spec.SpecBinder;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.spec.YamlDocuments;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Reads a seed file with the same safe YAML reader and precise errors as the desired-state files. */
public final class SeedLoader {
    private SeedLoader() {}

    /** A seed, or every error that makes the file unusable. */
    public record Result(SimSeed seed, List<SpecError> errors) {}

    public static Result load(String file, byte[] content) {
        YamlDocuments.Result read = new YamlDocuments(YamlDocuments.Limits.DEFAULT).read(file, content);
        if (!read.errors().isEmpty()) return new Result(null, read.errors());
        if (read.documents().size() != 1) {
            return new Result(null, List.of(new SpecError(file, 0, 0, "", "a seed file holds exactly one document, not "
                    + read.documents().size())));
        }
        Node document = read.documents().get(0);
        SpecBinder.Bound<SimSeed> bound = SpecBinder.bind(file, document, SimSeed.class);
        List<SpecError> errors = new ArrayList<>(bound.errors());
        return new Result(errors.isEmpty() ? bound.value() : null, errors);
    }
}
