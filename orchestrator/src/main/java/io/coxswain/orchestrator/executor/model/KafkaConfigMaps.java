package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** ConfigMaps of a cluster: per-role node configuration and start script, and the metrics rules. */
public final class KafkaConfigMaps {

    public static final String START_SCRIPT = "start.sh";
    public static final String CLUSTER_ID_KEY = "cluster-id";
    public static final String RULES_KEY = "jmx-exporter.yml";
    public static final String CONFIG_MOUNT = "/etc/kafka/coxswain";
    public static final String METRICS_MOUNT = "/etc/kafka/metrics";

    private KafkaConfigMaps() {
    }

    /** Key of a node's {@code server.properties} in its role's ConfigMap. */
    public static String propertiesKey(int ordinal) {
        return "server-" + ordinal + ".properties";
    }

    /**
     * @param replicas  pods of the role: one properties file each
     * @param external  per broker ordinal, the observed external address (absent until Kubernetes assigned one)
     */
    public static ConfigMap role(ClusterSpec spec, ClusterNames names, KafkaRole role, int replicas, int brokerCount,
                                 Map<Integer, ExternalAddress> external) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(START_SCRIPT, startScript());
        data.put(CLUSTER_ID_KEY, KafkaProperties.kafkaClusterId(names.clusterId()));
        for (int i = 0; i < replicas; i++) {
            data.put(propertiesKey(i), KafkaProperties.forNode(spec, names, role, i, brokerCount, Optional.ofNullable(external.get(i))));
        }
        return new ConfigMapBuilder()
                .withNewMetadata().withName(names.configMap(role)).withNamespace(names.namespace())
                .withLabels(names.labels(role.component())).endMetadata()
                .withData(data)
                .build();
    }

    public static ConfigMap metrics(ClusterNames names) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(names.metricsConfigMap()).withNamespace(names.namespace())
                .withLabels(names.labels(ClusterNames.METRICS_COMPONENT)).endMetadata()
                .withData(Map.of(RULES_KEY, metricsRules()))
                .build();
    }

    /**
     * Picks the pod's own file by its ordinal (the hostname's last part), fills in what is known
     * only on the node, formats the storage once, and runs Kafka in the foreground.
     */
    static String startScript() {
        return String.join("\n",
                "#!/bin/bash",
                "# Written by Coxswain. Starts the Kafka node of this pod from its own file in this ConfigMap.",
                "set -euo pipefail",
                "ordinal=\"${HOSTNAME##*-}\"",
                "props=/tmp/server.properties",
                "sed -e \"s|" + KafkaProperties.ZONE_PLACEHOLDER + "|${KAFKA_ZONE:-}|g\" -e \"s|" + ExternalAddress.NODE_HOST
                        + "|${HOST_IP:-}|g\" \"" + CONFIG_MOUNT + "/server-${ordinal}.properties\" > \"$props\"",
                "/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t \"$(cat " + CONFIG_MOUNT + "/" + CLUSTER_ID_KEY + ")\" -c \"$props\"",
                "exec /opt/kafka/bin/kafka-server-start.sh \"$props\"",
                "");
    }

    /** Prometheus JMX exporter rules: the broker, request and controller metrics dashboards need. */
    static String metricsRules() {
        return String.join("\n",
                "lowercaseOutputName: true",
                "lowercaseOutputLabelNames: true",
                "rules:",
                "  # kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions and the like",
                "  - pattern: 'kafka.(server|controller|network|log)<type=(.+), name=(.+)><>(Value|Count)'",
                "    name: kafka_$1_$2_$3",
                "    type: GAUGE",
                "  # per-topic rates: kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=orders",
                "  - pattern: 'kafka.server<type=(.+), name=(.+), topic=(.+)><>(Count|OneMinuteRate)'",
                "    name: kafka_server_$1_$2_$4",
                "    labels:",
                "      topic: '$3'",
                "    type: GAUGE",
                "  # request latencies: kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce",
                "  - pattern: 'kafka.network<type=RequestMetrics, name=(.+), request=(.+)><>(Count|Mean|99thPercentile)'",
                "    name: kafka_network_requestmetrics_$1_$3",
                "    labels:",
                "      request: '$2'",
                "    type: GAUGE",
                "  - pattern: 'kafka.server<type=raft-metrics><>(.+):'",
                "    name: kafka_server_raft_$1",
                "    type: GAUGE",
                "");
    }
}
