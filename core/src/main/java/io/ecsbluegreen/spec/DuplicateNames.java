package io.ecsbluegreen.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds services declared more than once across files: each declaration is reported, none applied. */
public final class DuplicateNames {
    private DuplicateNames() {}

    /** The declarations by name, keeping only names declared more than once, in a stable order. */
    public static Map<String, List<DeclaredService>> find(Collection<DeclaredService> declarations) {
        Map<String, List<DeclaredService>> byName = new LinkedHashMap<>();
        for (DeclaredService d : declarations) {
            byName.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(d);
        }
        byName.values().removeIf(list -> list.size() < 2);
        return byName;
    }

    /** One error per declaration of each duplicated name, each naming the other places. */
    public static List<SpecError> errors(Map<String, List<DeclaredService>> duplicates) {
        List<SpecError> errors = new ArrayList<>();
        duplicates.forEach((name, places) -> {
            for (DeclaredService d : places) {
                List<String> others = places.stream().filter(o -> o != d).map(DeclaredService::where).toList();
                errors.add(new SpecError(d.file(), d.line(), 0, "metadata.name", "service '" + name
                        + "' is also declared in " + String.join(", ", others) + "; neither declaration is applied"));
            }
        });
        return errors;
    }
}
