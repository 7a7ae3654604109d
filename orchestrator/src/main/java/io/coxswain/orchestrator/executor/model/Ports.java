package io.coxswain.orchestrator.executor.model;

import io.coxswain.commands.access.AccessNames;

/** Container ports of the Kafka pods; names are what Services and probes refer to. */
public final class Ports {

    /** Broker-to-broker traffic. */
    public static final int REPLICATION = 9091;
    /** Clients inside the Kubernetes cluster (the bootstrap Service). */
    public static final int CLIENTS = AccessNames.CLIENTS_PORT;
    /** KRaft controller quorum. */
    public static final int CONTROLLER = 9093;
    /** Clients outside the Kubernetes cluster, through the per-broker external Services. */
    public static final int EXTERNAL = 9094;
    /** Applications inside the Kubernetes cluster with a SCRAM-SHA-512 user's password (SASL_SSL), while the cluster has one. */
    public static final int SCRAM = AccessNames.SCRAM_PORT;
    /**
     * Applications outside the Kubernetes cluster with a SCRAM-SHA-512 user's password, through the per-broker
     * external Services, while the cluster has such a user and external access.
     */
    public static final int EXTERNAL_SCRAM = 9096;
    /** Prometheus JMX exporter. */
    public static final int METRICS = 9404;

    public static final String REPLICATION_NAME = "replication";
    public static final String CLIENTS_NAME = "clients";
    public static final String CONTROLLER_NAME = "controller";
    public static final String EXTERNAL_NAME = "external";
    public static final String METRICS_NAME = "metrics";
    public static final String SCRAM_NAME = "scram";
    public static final String EXTERNAL_SCRAM_NAME = "external-scram";

    private Ports() {
    }
}
