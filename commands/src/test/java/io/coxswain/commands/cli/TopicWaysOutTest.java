package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code cox get}'s ways out of a topic Kafka refuses: one per kind of change the executor's joined reason names. */
class TopicWaysOutTest {

    @Test
    void aConfigurationRefusalIsFixedByUpdatingOrDeletingTheTopic() {
        assertThat(TopicCommand.waysOut("shop", "orders", "InvalidConfigurationException: Invalid value abc for configuration retention.ms"))
                .containsExactly("fix it: cox topic update shop orders --set KEY=VALUE | --remove KEY, or drop it: cox topic delete shop orders");
    }

    @Test
    void aTopicRefusedSeveralKindsOfChangeGetsTheWayOutOfEach() {
        String reason = "PolicyViolationException: retention.ms over the limit; IncreasePartitions refused: InvalidPartitionsException: x;"
                + " ChangeReplicationFactor refused: InvalidReplicaAssignmentException: y";
        assertThat(TopicCommand.waysOut("shop", "orders", reason)).containsExactly(
                "fix it: cox topic update shop orders --set KEY=VALUE | --remove KEY, or drop it: cox topic delete shop orders",
                "for the partitions: bring back the brokers or lift the policy Kafka names, or drop it: cox topic delete shop orders",
                "for the replication factor: bring back the brokers Kafka names, or ask for the factor it has: cox topic replication-factor"
                        + " shop orders --replication-factor N");
        assertThat(TopicCommand.waysOut("shop", "orders", "IncreasePartitions refused: InvalidPartitionsException: x"))
                .as("no configuration refused: no config fix offered")
                .containsExactly("for the partitions: bring back the brokers or lift the policy Kafka names, or drop it: cox topic delete shop orders");
    }

    @Test
    void aRefusedDeletionEndsWhenKafkaMayDeleteOrTheTopicIsKept() {
        assertThat(TopicCommand.waysOut("shop", "orders", "DeleteTopic refused: TopicDeletionDisabledException: Topic deletion is disabled."))
                .containsExactly("let Kafka delete it (delete.topic.enable=true, or the policy it names), or keep it: cox topic create shop orders ...");
    }
}
