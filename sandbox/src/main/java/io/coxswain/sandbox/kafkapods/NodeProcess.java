package io.coxswain.sandbox.kafkapods;

import java.time.Duration;

/** One incarnation of a Kafka node: started once, stopped once. Both calls block. */
interface NodeProcess {

    void start();

    /** Graceful shutdown, forced when {@code grace} has passed (as the kubelet does). */
    void stop(Duration grace);
}
