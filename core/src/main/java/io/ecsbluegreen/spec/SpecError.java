package io.ecsbluegreen.spec;

/**
 * One problem in a desired-state file, precise enough to fix without guessing.
 *
 * @param file where the file is (path, {@code s3://…} or git location)
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param column 1-based column, or 0
 * @param path the field path such as {@code spec.strategy.canary.steps[1].weight}, or empty
 * @param message what is wrong and, where possible, how to fix it
 */
public record SpecError(String file, int line, int column, String path, String message) {

    /** {@code file:line:column: path: message}, the format editors and CI logs link to. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) sb.append(':').append(column);
        }
        sb.append(": ");
        if (!path.isEmpty()) sb.append(path).append(": ");
        return sb.append(message).toString();
    }
}
