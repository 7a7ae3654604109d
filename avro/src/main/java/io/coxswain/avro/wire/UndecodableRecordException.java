package io.coxswain.avro.wire;

/** A record's bytes cannot be turned into the expected type; the message says why, for the dead-letter topic. */
public class UndecodableRecordException extends RuntimeException {
    public UndecodableRecordException(String reason) {
        super(reason);
    }

    public UndecodableRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
