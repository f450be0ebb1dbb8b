package io.ecsbluegreen.status;

import io.ecsbluegreen.source.Provenance;
import java.util.List;
import java.util.Objects;

/**
 * What a revision runs and where it came from, for people: the revision id ({@code r-33d789593ac0}) is
 * what AWS and the golden tests know; this is what someone woken at 3 a.m. recognises.
 *
 * @param revision the revision id
 * @param images the short image references of the task definition's containers ({@code greeter:2.0.0}),
 *     in container order; empty when not known yet
 * @param source where the spec came from (see {@link Provenance}); null when unknown, e.g. for the active
 *     revision after a restart, whose images are recovered from its task definition but whose file is gone
 * @param text one line in printable ASCII (an SNS subject takes it): the images, then the source, e.g.
 *     {@code greeter:2.0.0 from git 1a2b3c4 "Bump greeter" (Alice)}; empty when nothing is known
 */
public record RevisionLabel(String revision, List<String> images, Provenance source, String text) {

    public RevisionLabel {
        Objects.requireNonNull(revision, "revision");
        images = images == null ? List.of() : List.copyOf(images);
        text = text(images, source);
    }

    public RevisionLabel(String revision, List<String> images, Provenance source) {
        this(revision, images, source, null);
    }

    /** The images joined with commas ({@code greeter:2.0.0,envoy:1.29}); empty when unknown. */
    public String imageList() {
        return String.join(",", images);
    }

    /** The source's short reference (commit SHA, S3 version or ETag, content hash); empty when unknown. */
    public String sourceRef() {
        return source == null ? "" : source.ref();
    }

    /** This label completed with what {@code other} knows and this one does not. */
    public RevisionLabel or(RevisionLabel other) {
        if (other == null || !other.revision.equals(revision)) return this;
        return new RevisionLabel(revision, images.isEmpty() ? other.images : images, source == null ? other.source : source);
    }

    /** {@code r-33d789593ac0 [greeter:2.0.0 from git 1a2b3c4 "Bump" (Alice)]}, or the id alone when nothing is known. */
    public String describe() {
        return text.isEmpty() ? revision : revision + " [" + text + "]";
    }

    private static String text(List<String> images, Provenance source) {
        String shown = String.join(", ", images);
        if (source == null) return shown;
        return shown.isEmpty() ? source.display() : shown + " from " + source.display();
    }

    /**
     * The short form of an image reference: the repository's last path segment with its tag or a short
     * digest. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/greeter:2.0.0} is
     * {@code greeter:2.0.0}, {@code nginx@sha256:0123…} is {@code nginx@sha256:0123456789ab}.
     */
    public static String shortImage(String image) {
        if (image == null || image.isBlank()) return "";
        String ref = image.strip();
        String digest = "";
        int at = ref.indexOf('@');
        if (at >= 0) {
            String d = ref.substring(at + 1);
            int colon = d.indexOf(':');
            digest = "@" + (colon >= 0 && d.length() > colon + 13 ? d.substring(0, colon + 13) : d);
            ref = ref.substring(0, at);
        }
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        return name + digest;
    }

    /** The short forms of several image references, duplicates dropped, order kept. */
    public static List<String> shortImages(List<String> images) {
        return images.stream().map(RevisionLabel::shortImage).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
