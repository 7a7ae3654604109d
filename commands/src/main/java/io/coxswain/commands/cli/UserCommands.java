package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.AclRule;
import io.coxswain.commands.AclRules;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Application identities on a cluster whose client authentication is OPTIONAL or TLS ({@link ClientAuthCommand}):
 * {@code cox create-user|update-user-acls|update-user-quotas|delete-user CLUSTER NAME [--acl RULE ...] [--producer-byte-rate N ...]}. A rule is
 * written {@code TYPE:NAME[:literal|prefixed]:OPERATION[,OPERATION...][:allow|deny][@HOST]} (see {@link AclRules}).
 */
final class UserCommands {

    static final String ACL_HELP = "ACL rule TYPE:NAME[:literal|prefixed]:OPERATION[,OPERATION...][:allow|deny][@HOST], repeatable;"
            + " e.g. topic:orders:prefixed:READ,WRITE  group:orders-app:READ  cluster:kafka-cluster:IDEMPOTENT_WRITE."
            + " TYPE: topic, group, cluster, transactional-id; operations are Kafka's (READ, WRITE, DESCRIBE, CREATE, ALL, ...).";

    private UserCommands() {
    }

    @Command(name = "create-user", mixinStandardHelpOptions = true,
            description = {"Create an application identity: Coxswain issues it a client certificate (Secret <cluster>-user-<name>:"
                    + " user.crt, user.key, ca.crt) and applies its ACLs to principal User:<name>.",
                    "Only on a cluster whose client authentication is OPTIONAL or TLS (cox client-authentication)."})
    static final class Create implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "NAME", description = "The user's name: a DNS label of at most 64 characters.") String name;
        @Option(names = "--acl", paramLabel = "RULE", description = ACL_HELP) List<String> acls = List.of();
        @Mixin QuotaOptions quotas;

        @Override
        public Integer call() {
            ObjectNode p = payload(name, acls);
            quotas.addTo(p);
            return submit.send(cox, cluster, "CreateUser", p);
        }
    }

    @Command(name = "update-user-quotas", mixinStandardHelpOptions = true,
            description = "Replace a user's whole set of quotas with those given (none: unthrottled). Rates are per broker, as Kafka applies them.")
    static final class UpdateQuotas implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "NAME") String name;
        @Mixin QuotaOptions quotas;

        @Override
        public Integer call() {
            ObjectNode p = ClusterCommands.object().put("name", name);
            quotas.addTo(p);
            return submit.send(cox, cluster, "UpdateUserQuotas", p);
        }
    }

    /** A user's Kafka client quotas; each left out sets none of its kind. */
    static final class QuotaOptions {
        @Option(names = "--producer-byte-rate", paramLabel = "BYTES", description = "Bytes per second its producers may write, per broker.")
        Long producerByteRate;
        @Option(names = "--consumer-byte-rate", paramLabel = "BYTES", description = "Bytes per second its consumers may fetch, per broker.")
        Long consumerByteRate;
        @Option(names = "--request-percentage", paramLabel = "PERCENT",
                description = "Share of a broker's request threads it may take, in percent of one thread.")
        Double requestPercentage;

        /** Adds {@code quotas} to a payload when any option is given: without them the user runs unthrottled. */
        void addTo(ObjectNode payload) {
            if (producerByteRate == null && consumerByteRate == null && requestPercentage == null) {
                return;
            }
            ObjectNode q = payload.putObject("quotas");
            if (producerByteRate != null) {
                q.put("producerByteRate", producerByteRate);
            }
            if (consumerByteRate != null) {
                q.put("consumerByteRate", consumerByteRate);
            }
            if (requestPercentage != null) {
                q.put("requestPercentage", requestPercentage);
            }
        }
    }

    @Command(name = "update-user-acls", mixinStandardHelpOptions = true,
            description = "Replace a user's whole ACL list with the rules given (none: the user may do nothing).")
    static final class UpdateAcls implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "NAME") String name;
        @Option(names = "--acl", paramLabel = "RULE", description = ACL_HELP) List<String> acls = List.of();

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "UpdateUserAcls", payload(name, acls));
        }
    }

    @Command(name = "delete-user", mixinStandardHelpOptions = true, description = "Delete a user: its ACLs and its certificate Secret go.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "DeleteUser", ClusterCommands.object().put("name", name));
        }
    }

    /** Under {@code cox get CLUSTER}: each user's quotas, then its ACLs, one line per rule in the {@code --acl} form; nothing when there are no users. */
    static void printAcls(PrintWriter out, JsonNode users) {
        List<List<String>> rows = new ArrayList<>();
        users.fields().forEachRemaining(user -> {
            if (user.getValue().path("acls").isEmpty()) {
                rows.add(List.of(user.getKey(), "- (no ACL: may do nothing)"));
            }
            JsonNode quotas = user.getValue().path("quotas");
            if (quotas.isObject()) {
                List<String> set = new ArrayList<>();
                quotas.fields().forEachRemaining(q -> {
                    if (!q.getValue().isNull()) {
                        set.add(q.getKey() + "=" + q.getValue().asText());
                    }
                });
                rows.add(List.of(user.getKey(), "quotas " + String.join(", ", set)));
            }
            user.getValue().path("acls").forEach(a -> {
                List<String> operations = new ArrayList<>();
                a.path("operations").forEach(op -> operations.add(op.asText()));
                rows.add(List.of(user.getKey(), AclRules.format(a.path("resourceType").asText(), a.path("name").asText(),
                        a.path("patternType").asText(), operations, a.path("host").asText(), a.path("permission").asText())));
            });
        });
        if (!rows.isEmpty()) {
            out.println();
            Output.table(out, List.of("USER", "QUOTAS / ACL"), rows);
        }
    }

    /** {@code {"name": ..., "acls": [...]}}, each {@code --acl} read by {@link AclRules#parse}; a rule it cannot read is bad input (exit 2). */
    static ObjectNode payload(String name, List<String> acls) {
        ObjectNode p = ClusterCommands.object().put("name", name);
        ArrayNode rules = p.putArray("acls");
        for (String text : acls) {
            AclRule rule;
            try {
                rule = AclRules.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.BAD_INPUT, "--acl: " + e.getMessage());
            }
            ObjectNode r = rules.addObject().put("resourceType", rule.getResourceType().name()).put("name", rule.getName())
                    .put("patternType", rule.getPatternType().name());
            ArrayNode ops = r.putArray("operations");
            rule.getOperations().forEach(ops::add);
            r.put("host", rule.getHost()).put("permission", rule.getPermission().name());
        }
        return p;
    }
}
