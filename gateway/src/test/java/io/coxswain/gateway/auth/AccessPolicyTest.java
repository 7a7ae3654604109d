package io.coxswain.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.gateway.json.JsonCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roles file: who may issue what where, and how a mistake in the file is reported. */
class AccessPolicyTest {

    private static final List<String> TYPES = List.of("CreateCluster", "DeleteCluster", "CreateTopic", "DeleteTopic", "ScaleBrokers");

    private static AccessPolicy policy(String... lines) {
        return AccessPolicy.parse(ConfigLines.parse("roles file test", List.of(lines)), TYPES);
    }

    private static final AccessPolicy POLICY = policy(
            "# platform team",
            "role admin * *",
            "",
            "role payments-dev CreateTopic,DeleteTopic payments,payments-*",
            "role scaler ScaleBrokers orders",
            "role reader - *",
            "grant alice admin",
            "grant bob payments-dev scaler",
            "grant carol reader");

    @Test
    void aRoleAllowsItsCommandsOnItsClustersOnly() {
        assertThat(POLICY.check("alice", "DeleteCluster", "anything")).isEmpty();
        assertThat(POLICY.check("bob", "CreateTopic", "payments")).isEmpty();
        assertThat(POLICY.check("bob", "CreateTopic", "payments-eu")).isEmpty();
        assertThat(POLICY.check("bob", "ScaleBrokers", "orders")).isEmpty();
        // 'payments-*' is a prefix pattern: 'paymentsx' does not match it, nor does 'payments' match 'orders'
        assertThat(POLICY.check("bob", "CreateTopic", "paymentsx")).isPresent();
        assertThat(POLICY.check("bob", "ScaleBrokers", "payments")).isPresent();
    }

    @Test
    void aRefusalNamesTheFieldAtFaultAndWhatTheRolesAllow() {
        AccessPolicy.Denial wrongCluster = POLICY.check("bob", "CreateTopic", "orders").orElseThrow();
        assertThat(wrongCluster.field()).isEqualTo("clusterId");
        assertThat(wrongCluster.message()).contains("'bob'", "CreateTopic", "'orders'", "payments, payments-*", "roles file test");

        AccessPolicy.Denial wrongType = POLICY.check("bob", "DeleteCluster", "payments").orElseThrow();
        assertThat(wrongType.field()).isEqualTo("type");
        assertThat(wrongType.message()).contains("may not issue DeleteCluster", "CreateTopic, DeleteTopic, ScaleBrokers");

        assertThat(POLICY.check("carol", "CreateTopic", "payments").orElseThrow().message()).contains("allow no commands");
        assertThat(POLICY.check("mallory", "CreateTopic", "payments").orElseThrow().message()).contains("'mallory' has no role");
    }

    /** Users and ACLs decide who may read and write a cluster's data: only a role that names them, or allows everything, issues them. */
    @Test
    void userCommandsNeedARoleThatNamesThemOrAllowsEverything() {
        List<String> types = List.of("CreateCluster", "CreateTopic", "CreateUser", "UpdateUserAcls", "DeleteUser");
        AccessPolicy policy = AccessPolicy.parse(ConfigLines.parse("roles file test", List.of(
                "role admin * *",
                "role payments-dev CreateTopic payments",
                "role payments-security CreateUser,UpdateUserAcls,DeleteUser payments",
                "grant alice admin",
                "grant bob payments-dev",
                "grant dana payments-security")), types);
        for (String type : List.of("CreateUser", "UpdateUserAcls", "DeleteUser")) {
            assertThat(policy.check("alice", type, "payments")).as(type).isEmpty();
            assertThat(policy.check("dana", type, "payments")).as(type).isEmpty();
            assertThat(policy.check("dana", type, "orders")).as(type + " elsewhere").isPresent();
            assertThat(policy.check("bob", type, "payments").orElseThrow().message()).contains("may not issue " + type, "allow CreateTopic");
        }
    }

    /** A partition increase is a topic change like a configuration change: a role that names it, or allows everything, issues it. */
    @Test
    void partitionIncreasesGoWhereTheRolesNameThemBesideTheOtherTopicCommands() {
        AccessPolicy policy = AccessPolicy.parse(ConfigLines.parse("roles file test", List.of(
                "role admin * *",
                "role payments-dev CreateTopic,UpdateTopicConfig,IncreasePartitions,ChangeReplicationFactor,DeleteTopic payments,payments-*",
                "role config-only UpdateTopicConfig orders",
                "grant alice admin",
                "grant bob payments-dev",
                "grant carol config-only")), JsonCommands.types());
        assertThat(policy.check("alice", "IncreasePartitions", "anything")).isEmpty();
        assertThat(policy.check("bob", "IncreasePartitions", "payments-eu")).isEmpty();
        assertThat(policy.check("bob", "IncreasePartitions", "orders").orElseThrow().message())
                .contains("may not issue IncreasePartitions on cluster 'orders'", "only on clusters payments, payments-*");
        assertThat(policy.check("carol", "UpdateTopicConfig", "orders")).isEmpty();
        assertThat(policy.check("carol", "IncreasePartitions", "orders").orElseThrow().field()).isEqualTo("type");
        // a replication factor change likewise
        assertThat(policy.check("alice", "ChangeReplicationFactor", "anything")).isEmpty();
        assertThat(policy.check("bob", "ChangeReplicationFactor", "payments")).isEmpty();
        assertThat(policy.check("bob", "ChangeReplicationFactor", "orders")).isPresent();
        assertThat(policy.check("carol", "ChangeReplicationFactor", "orders").orElseThrow().field()).isEqualTo("type");
    }

    /** A rebalance moves data over the whole cluster, like a scale: a role issues it where it names it (or allows everything). */
    @Test
    void aRebalanceGoesWhereARoleNamesIt() {
        AccessPolicy policy = AccessPolicy.parse(ConfigLines.parse("roles file test", List.of(
                "role admin * *",
                "role payments-ops ScaleBrokers,RestartCluster,RebalanceCluster payments,payments-*",
                "role payments-dev CreateTopic,UpdateTopicConfig,IncreasePartitions,ChangeReplicationFactor,DeleteTopic payments",
                "grant alice admin",
                "grant olga payments-ops",
                "grant bob payments-dev")), JsonCommands.types());
        assertThat(policy.check("alice", "RebalanceCluster", "anything")).isEmpty();
        assertThat(policy.check("olga", "RebalanceCluster", "payments-eu")).isEmpty();
        AccessPolicy.Denial elsewhere = policy.check("olga", "RebalanceCluster", "orders").orElseThrow();
        assertThat(elsewhere.field()).isEqualTo("clusterId");
        assertThat(elsewhere.message()).contains("may not issue RebalanceCluster on cluster 'orders'", "only on clusters payments, payments-*");
        AccessPolicy.Denial topicsOnly = policy.check("bob", "RebalanceCluster", "payments").orElseThrow();
        assertThat(topicsOnly.field()).isEqualTo("type");
        assertThat(topicsOnly.message()).contains("may not issue RebalanceCluster");
    }

    /** Changing client authentication decides whether clients must be named: a role issues it only where it names it (or allows everything). */
    @Test
    void aClientAuthenticationChangeGoesWhereARoleNamesIt() {
        AccessPolicy policy = AccessPolicy.parse(ConfigLines.parse("roles file test", List.of(
                "role admin * *",
                "role security ChangeClientAuthentication,CreateUser,UpdateUserAcls,DeleteUser payments",
                "role payments-ops ScaleBrokers,RestartCluster,RebalanceCluster payments",
                "grant alice admin",
                "grant sam security",
                "grant olga payments-ops")), JsonCommands.types());
        assertThat(policy.check("alice", "ChangeClientAuthentication", "anything")).isEmpty();
        assertThat(policy.check("sam", "ChangeClientAuthentication", "payments")).isEmpty();
        assertThat(policy.check("sam", "ChangeClientAuthentication", "orders").orElseThrow().field()).isEqualTo("clusterId");
        AccessPolicy.Denial ops = policy.check("olga", "ChangeClientAuthentication", "payments").orElseThrow();
        assertThat(ops.field()).isEqualTo("type");
        assertThat(ops.message()).contains("may not issue ChangeClientAuthentication");
    }

    /**
     * Maintenance windows decide when restarts and data moves may happen, so the team on call for a cluster may own them
     * without being able to start those operations; a role holding only operations does not get them implicitly.
     */
    @Test
    void maintenanceWindowsGoWhereARoleNamesThem() {
        AccessPolicy roles = AccessPolicy.parse(ConfigLines.parse("roles file test", List.of(
                "role on-call SetMaintenanceWindows,PauseReconciliation payments-*",
                "role payments-ops ScaleBrokers,RestartCluster,RebalanceCluster payments-*",
                "grant dana on-call", "grant olga payments-ops")), JsonCommands.types());
        assertThat(roles.check("dana", "SetMaintenanceWindows", "payments-eu")).isEmpty();
        assertThat(roles.check("dana", "SetMaintenanceWindows", "orders").orElseThrow().field()).isEqualTo("clusterId");
        assertThat(roles.check("dana", "RestartCluster", "payments-eu").orElseThrow().field()).isEqualTo("type");
        assertThat(roles.check("olga", "SetMaintenanceWindows", "payments-eu").orElseThrow().message())
                .contains("may not issue SetMaintenanceWindows");
    }

    /**
     * A CA replacement rolls every pod three times and ends the trust applications hold: a role issues it only where it
     * names it (or allows everything); one that may roll or rebalance does not get it implicitly.
     */
    @Test
    void aCaReplacementGoesWhereARoleNamesIt() {
        AccessPolicy policy = AccessPolicy.parse(ConfigLines.parse("roles file test", List.of(
                "role admin * *",
                "role security ReplaceClusterCa,ChangeClientAuthentication payments,payments-*",
                "role payments-ops ScaleBrokers,RestartCluster,RebalanceCluster payments,payments-*",
                "grant alice admin",
                "grant sam security",
                "grant olga payments-ops")), JsonCommands.types());
        assertThat(policy.check("alice", "ReplaceClusterCa", "anything")).isEmpty();
        assertThat(policy.check("sam", "ReplaceClusterCa", "payments-eu")).isEmpty();
        AccessPolicy.Denial elsewhere = policy.check("sam", "ReplaceClusterCa", "orders").orElseThrow();
        assertThat(elsewhere.field()).isEqualTo("clusterId");
        assertThat(elsewhere.message()).contains("may not issue ReplaceClusterCa on cluster 'orders'", "only on clusters payments, payments-*");
        AccessPolicy.Denial ops = policy.check("olga", "ReplaceClusterCa", "payments").orElseThrow();
        assertThat(ops.field()).isEqualTo("type");
        assertThat(ops.message()).contains("may not issue ReplaceClusterCa");
    }

    @Test
    void withoutARolesFileEveryCallerMayIssueEverything() {
        assertThat(AccessPolicy.allowAll().enforced()).isFalse();
        assertThat(AccessPolicy.allowAll().check("anyone", "DeleteCluster", "payments")).isEmpty();
        assertThat(POLICY.enforced()).isTrue();
    }

    @Test
    void readsAreOpenUnlessTheFileSaysByRole() {
        assertThat(POLICY.readsByRole()).isFalse();
        assertThat(POLICY.checkRead("mallory", "orders")).isEmpty();
        assertThat(POLICY.checkReadAll("mallory", "cluster")).isEmpty();
        assertThat(policy("reads all", "role a * *").readsByRole()).isFalse();
    }

    @Test
    void withReadsByRoleACallerReadsOnlyTheClustersItsRolesCover() {
        AccessPolicy byRole = policy("reads by-role", "role admin * *", "role payments-dev CreateTopic payments,payments-*", "role auditor - orders",
                "grant alice admin", "grant bob payments-dev", "grant carol auditor");
        assertThat(byRole.checkRead("bob", "payments-eu")).isEmpty();
        // a role that issues nothing still grants reads of its clusters
        assertThat(byRole.checkRead("carol", "orders")).isEmpty();
        assertThat(byRole.checkReadAll("alice", "cluster")).isEmpty();

        AccessPolicy.Denial other = byRole.checkRead("bob", "orders").orElseThrow();
        assertThat(other.field()).isEqualTo("clusterId");
        assertThat(other.message()).contains("'bob' may not read cluster 'orders'", "payments-dev", "payments, payments-*", "reads by-role");
        AccessPolicy.Denial all = byRole.checkReadAll("bob", "cluster").orElseThrow();
        assertThat(all.field()).isEqualTo("cluster");
        assertThat(all.message()).contains("may not read across all clusters", "name one of those clusters with 'cluster'");
        assertThat(byRole.checkRead("mallory", "payments").orElseThrow().message()).contains("has no role, so may read no cluster");
        assertThat(byRole.check("mallory", "CreateTopic", "payments").orElseThrow().message()).doesNotContain("reads are allowed");
    }

    @Test
    void aRoleWithALabelSelectorCoversTheClustersOfItsPatternsWhoseLabelsMatch() {
        AccessPolicy teams = policy("reads by-role", "role payments-ops * * team=payments", "role eu-readers - eu-* env!=dev",
                "grant bob payments-ops", "grant erin eu-readers");
        Map<String, String> payments = Map.of("team", "payments");
        assertThat(teams.check("bob", "ScaleBrokers", "anything", payments, payments)).isEmpty();
        assertThat(teams.check("bob", "ScaleBrokers", "anything", Map.of("team", "orders"), Map.of("team", "orders"))).isPresent();
        assertThat(teams.check("bob", "ScaleBrokers", "anything")).as("a cluster without labels is not the team's").isPresent();
        // created into the label, relabelled within it: yes; created or moved out of it, or taken in from outside: no
        assertThat(teams.check("bob", "CreateCluster", "new", payments, payments)).isEmpty();
        assertThat(teams.check("bob", "SetClusterLabels", "p", payments, Map.of("team", "payments", "env", "prod"))).isEmpty();
        AccessPolicy.Denial away = teams.check("bob", "SetClusterLabels", "p", payments, Map.of("team", "orders")).orElseThrow();
        assertThat(away.message()).contains("on cluster 'p' (labelled team=payments, to be team=orders)", "only on clusters * labelled team=payments");
        assertThat(teams.check("bob", "SetClusterLabels", "o", Map.of("team", "orders"), payments)).isPresent();

        assertThat(teams.checkRead("bob", "p", payments)).isEmpty();
        assertThat(teams.checkRead("bob", "o", Map.of("team", "orders")).orElseThrow().message()).contains("cover only clusters * labelled team=payments");
        assertThat(teams.checkReadAll("bob", "cluster")).as("'*' with a selector is not every cluster").isPresent();
        assertThat(teams.checkRead("erin", "eu-1", Map.of("env", "prod"))).isEmpty();
        assertThat(teams.checkRead("erin", "eu-1", Map.of())).as("no env at all is not dev").isEmpty();
        assertThat(teams.checkRead("erin", "eu-2", Map.of("env", "dev"))).isPresent();
        assertThat(teams.checkRead("erin", "us-1", Map.of("env", "prod"))).as("the patterns still hold").isPresent();
        assertThat(teams.rolesOf("bob").get(0).selector()).isEqualTo("team=payments");
    }

    @Test
    void rolesOfAPrincipalAreThoseGranted() {
        assertThat(POLICY.rolesOf("bob")).extracting(Role::name).containsExactly("payments-dev", "scaler");
        assertThat(POLICY.rolesOf("alice").get(0).commandList()).containsExactly("*");
        assertThat(POLICY.rolesOf("carol").get(0).commandList()).isEmpty();
        assertThat(POLICY.rolesOf("nobody")).isEmpty();
    }

    @Test
    void mistakesInTheFileNameTheLineAndTheFix() {
        assertThatThrownBy(() -> policy("role a CreateTopic,Nope *")).hasMessageContaining("roles file test line 1")
                .hasMessageContaining("unknown command type 'Nope'");
        assertThatThrownBy(() -> policy("role a * *", "grant bob b")).hasMessageContaining("line 2").hasMessageContaining("role 'b'");
        assertThatThrownBy(() -> policy("role a * Payments")).hasMessageContaining("cluster pattern 'Payments'");
        assertThatThrownBy(() -> policy("role a * pay*ments")).hasMessageContaining("cluster pattern 'pay*ments'");
        assertThatThrownBy(() -> policy("role a * *", "role a - *")).hasMessageContaining("line 2").hasMessageContaining("defined twice");
        assertThatThrownBy(() -> policy("role a CreateTopic, DeleteTopic *")).hasMessageContaining("comma-separated without spaces");
        assertThatThrownBy(() -> policy("role a CreateTopic,,DeleteTopic *")).hasMessageContaining("unknown command type ''");
        assertThatThrownBy(() -> policy("role a CreateTopic payments team=a extra")).hasMessageContaining("4 or 5 words");
        assertThatThrownBy(() -> policy("role a * * team=pay ments")).hasMessageContaining("4 or 5 words");
        assertThatThrownBy(() -> policy("role a * * team=pay@ments")).hasMessageContaining("role 'a' has label selector 'team=pay@ments'");
        assertThatThrownBy(() -> policy("allow bob a")).hasMessageContaining("starts with 'allow'");
        assertThatThrownBy(() -> policy("role a * *", "grant bob")).hasMessageContaining("grant PRINCIPAL ROLE");
        assertThatThrownBy(() -> policy("reads some")).hasMessageContaining("line 1").hasMessageContaining("'reads all'")
                .hasMessageContaining("'reads by-role'");
        assertThatThrownBy(() -> policy("reads all", "reads by-role")).hasMessageContaining("line 2").hasMessageContaining("second 'reads' line");
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("roles");
        Files.writeString(file, "role ops ScaleBrokers *\ngrant dave ops\n");
        AccessPolicy loaded = AccessPolicy.load(file, TYPES);
        assertThat(loaded.check("dave", "ScaleBrokers", "x")).isEmpty();
        assertThat(loaded.check("dave", "CreateTopic", "x").orElseThrow().message()).contains(file.toString());
        assertThatThrownBy(() -> AccessPolicy.load(dir.resolve("missing"), TYPES)).hasMessageContaining("cannot read roles file");
    }
}
