package io.ecsbluegreen.source;

/** A source could not be read as a whole; the message says why without revealing credentials. */
public class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
