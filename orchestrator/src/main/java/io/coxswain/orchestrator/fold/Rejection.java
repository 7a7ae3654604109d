package io.coxswain.orchestrator.fold;

import io.coxswain.avro.event.RejectionCode;

/** Why DECIDE refused a command, worded for the person who sent it. */
public record Rejection(RejectionCode code, String reason) {
}
