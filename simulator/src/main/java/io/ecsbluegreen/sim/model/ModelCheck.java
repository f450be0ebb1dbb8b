package io.ecsbluegreen.sim.model;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.SimRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Checks requests against the AWS service models before a simulated service sees them, and answers
 * a violation as AWS answers model validation failures: {@code ValidationException} in JSON protocols
 * (ECS, Lambda), {@code ValidationError} in Query and the protocols of Query-compatible services
 * (ELBv2, SNS, STS, CloudWatch), HTTP 400, with the message
 * {@code N validation error(s) detected: Value 'x' at 'path' failed to satisfy constraint: ...; ...}.
 *
 * <p>Can record every request it checked, so that a test can replay a whole scenario through the check.
 * Thread-safe.
 */
public final class ModelCheck {

    /** Recording stops keeping requests beyond this many, so that a forgotten recording cannot fill the heap. */
    static final int MAX_RECORDS = 200_000;

    private final ConstraintTable table;
    private final List<ModelCheckRecord> records = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean recording;

    public ModelCheck(ConstraintTable table) {
        this.table = table;
    }

    /** The table the check reads. */
    public ConstraintTable table() {
        return table;
    }

    /**
     * Checks one request; operations outside the table (and services without one, S3) pass unchecked.
     *
     * @param service the SigV4 signing name of the service the request was routed to
     * @param operation the operation the service resolved
     * @return the error to answer instead of serving the request, or empty when the request is valid
     */
    public Optional<AwsErrorException> check(String service, String operation, SimRequest request) {
        List<Violation> violations = violations(service, operation, request);
        if (violations == null) {
            return Optional.empty();
        }
        if (recording) {
            record(new ModelCheckRecord(service, operation, violations));
        }
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        boolean json = table.service(service).orElseThrow().answersInJson();
        return Optional.of(new AwsErrorException(400, json ? "ValidationException" : "ValidationError", message(violations)));
    }

    /** The violations of a request; null when the table has no entry for the operation or the body is unreadable. */
    List<Violation> violations(String service, String operation, SimRequest request) {
        Optional<ConstraintTable.Service> svc = table.service(service);
        ConstraintTable.Operation op = svc.map(s -> s.operations().get(operation)).orElse(null);
        if (op == null) {
            return null;
        }
        Optional<Map<String, Object>> input = RequestInputs.read(svc.get(), op, request);
        return input.map(in -> Validator.validate(op.input(), in)).orElse(null);
    }

    /** AWS's message for a list of violations. */
    static String message(List<Violation> violations) {
        int n = violations.size();
        return n + (n == 1 ? " validation error detected: " : " validation errors detected: ")
                + violations.stream().map(Violation::message).collect(Collectors.joining("; "));
    }

    /** Starts keeping every checked request (and forgets earlier ones). */
    public void startRecording() {
        synchronized (records) {
            records.clear();
            dropped.set(0);
            recording = true;
        }
    }

    /** Stops keeping requests; what was recorded stays readable. */
    public void stopRecording() {
        recording = false;
    }

    /** The requests checked since {@link #startRecording()}, in the order they were checked. */
    public List<ModelCheckRecord> recorded() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** How many checked requests the recording left out because it was full. */
    public long droppedRecords() {
        return dropped.get();
    }

    private void record(ModelCheckRecord record) {
        synchronized (records) {
            if (records.size() < MAX_RECORDS) {
                records.add(record);
            } else {
                dropped.incrementAndGet();
            }
        }
    }
}
