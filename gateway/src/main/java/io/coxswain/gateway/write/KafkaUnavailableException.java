package io.coxswain.gateway.write;

/** The bootstrap Kafka did not take a command in time; the message says whether it can have been written. */
public class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
