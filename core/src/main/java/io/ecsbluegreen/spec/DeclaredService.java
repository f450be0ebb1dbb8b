package io.ecsbluegreen.spec;

import io.ecsbluegreen.model.BlueGreenService;

/**
 * A valid service together with where it is declared.
 *
 * @param line the line of the document's {@code metadata.name}
 */
public record DeclaredService(BlueGreenService service, String file, int line) {
    public String name() {
        return service.name();
    }

    /** {@code file:line}, for messages. */
    public String where() {
        return file + ":" + line;
    }
}
