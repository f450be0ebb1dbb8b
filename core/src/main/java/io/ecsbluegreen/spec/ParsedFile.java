package io.ecsbluegreen.spec;

import java.util.List;

/**
 * Everything one file declares.
 *
 * @param file the file's location, as used in errors
 * @param services the valid services, in document order; empty when the file has any error, because a
 *     file is applied whole or not at all
 * @param errors every problem found
 * @param invalidNames names of services the file declares in documents that have errors, when readable,
 *     so that they can be reported as invalid by name
 * @param foreignDocuments documents of other kinds (not ecsbluegreen.io), skipped
 */
public record ParsedFile(String file, List<DeclaredService> services, List<SpecError> errors,
                         List<String> invalidNames, int foreignDocuments) {

    public ParsedFile {
        services = List.copyOf(services);
        errors = List.copyOf(errors);
        invalidNames = List.copyOf(invalidNames);
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
