package io.ecsbluegreen.model;

/** An enum whose YAML spelling differs from its Java constant name. */
public interface WireValue {
    /** The exact spelling in YAML files, the schema and the API. */
    String wire();
}
