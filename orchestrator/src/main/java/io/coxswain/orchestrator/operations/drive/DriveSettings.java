package io.coxswain.orchestrator.operations.drive;

import java.time.Duration;

/**
 * Timing of the operation drivers.
 *
 * @param stepTimeout   how long one step may wait for the world (a pod Ready, a cluster healthy,
 *                      a reassignment done) before the operation stops in a FAILED step
 * @param waitBudget    how long one {@code drive} call waits before it gives the worker back; the
 *                      next pass (a pod event, an observation, the resync) continues the wait
 * @param pollInterval  between two looks at a world that has not moved yet, within one {@code drive} call
 * @param callTimeout   one Admin call
 * @param throttleBytes replication throttle while data moves, bytes per second per broker
 * @param verifyBrokerHostnames whether the Admin clients check the brokers' certificates name the address they dial
 */
public record DriveSettings(Duration stepTimeout, Duration waitBudget, Duration pollInterval, Duration callTimeout, long throttleBytes,
                            boolean verifyBrokerHostnames) {

    public static DriveSettings defaults() {
        return new DriveSettings(Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofMillis(500), Duration.ofSeconds(15),
                50L * 1024 * 1024, true);
    }

    public DriveSettings withStepTimeout(Duration d) {
        return new DriveSettings(d, waitBudget, pollInterval, callTimeout, throttleBytes, verifyBrokerHostnames);
    }

    public DriveSettings withWaitBudget(Duration d) {
        return new DriveSettings(stepTimeout, d, pollInterval, callTimeout, throttleBytes, verifyBrokerHostnames);
    }

    /**
     * A shorter look-again interval for a world that moves in a fraction of a second (the sandbox's in-process nodes),
     * where half a second between looks is much of each step of a roll.
     */
    public DriveSettings withPollInterval(Duration d) {
        return new DriveSettings(stepTimeout, waitBudget, d, callTimeout, throttleBytes, verifyBrokerHostnames);
    }

    /** The installation's replication throttle, for every data move that does not name its own. */
    public DriveSettings withThrottleBytes(long bytesPerSecond) {
        return new DriveSettings(stepTimeout, waitBudget, pollInterval, callTimeout, bytesPerSecond, verifyBrokerHostnames);
    }

    /**
     * The Admin clients still trust only the cluster CA, but stop checking that a broker's
     * certificate names the address dialled. For the sandbox, whose nodes all answer at 127.0.0.1
     * while their certificates name their pods' DNS names; never for clusters on Kubernetes.
     */
    public DriveSettings withoutHostnameVerification() {
        return new DriveSettings(stepTimeout, waitBudget, pollInterval, callTimeout, throttleBytes, false);
    }
}
