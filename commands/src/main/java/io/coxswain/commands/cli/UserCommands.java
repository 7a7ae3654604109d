package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.AclRule;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.access.AccessNames;
import io.coxswain.commands.shape.UserShape;
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
 * {@code cox create-user|update-user-acls|update-user-quotas|delete-user|rotate-password CLUSTER NAME [--acl RULE ...] [--producer-byte-rate N ...]}. A rule is
 * written {@code TYPE:NAME[:literal|prefixed]:OPERATION[,OPERATION...][:allow|deny][@HOST]} (see {@link AclRules}).
 */
final class UserCommands {

    static final String ACL_HELP = "ACL rule TYPE:NAME[:literal|prefixed]:OPERATION[,OPERATION...][:allow|deny][@HOST], repeatable;"
            + " e.g. topic:orders:prefixed:READ,WRITE  group:orders-app:READ  cluster:kafka-cluster:IDEMPOTENT_WRITE."
            + " TYPE: topic, group, cluster, transactional-id; operations are Kafka's (READ, WRITE, DESCRIBE, CREATE, ALL, ...).";

    private UserCommands() {
    }

    @Command(name = "create-user", mixinStandardHelpOptions = true,
            description = {"Create an application identity, principal User:<name>, and apply its ACLs and quotas to it. Its credentials are"
                    + " in the Secret <cluster>-user-<name>:",
                    "  TLS (the default): a client certificate: user.crt, user.key, ca.crt.",
                    "  SCRAM-SHA-512: a password: password, sasl.jaas.config (the whole JAAS line), ca.crt; clients connect to"
                    + " <cluster>-kafka-bootstrap.<namespace>.svc:9095 with SASL_SSL, inside Kubernetes only. The first SCRAM user"
                    + " rolls the brokers once to open that listener; deleting the last one rolls them again to close it.",
                    "Only on a cluster whose client authentication is OPTIONAL or TLS (cox client-authentication).",
                    "To change a user's authentication, delete it and create it again."})
    static final class Create implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "NAME", description = "The user's name: a DNS label of at most 64 characters.") String name;
        @Option(names = "--acl", paramLabel = "RULE", description = ACL_HELP) List<String> acls = List.of();
        @Mixin QuotaOptions quotas;
        // sent as typed, like cox client-authentication: the gateway's shape check owns the list and names payload.authentication
        @Option(names = "--authentication", paramLabel = "KIND", defaultValue = "TLS",
                description = "TLS (a client certificate, the default) or SCRAM-SHA-512 (a password).")
        String authentication;

        @Override
        public Integer call() {
            ObjectNode p = payload(name, acls);
            quotas.addTo(p);
            p.put("authentication", authentication);
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

    @Command(name = "delete-user", mixinStandardHelpOptions = true, description = {"Delete a user: its ACLs, quotas and Secret go, and a SCRAM-SHA-512 user's credential in Kafka.",
            "A SCRAM-SHA-512 user's name is free again at once; a certificate user's is held until its certificate would expire."})
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

    @Command(name = "rotate-password", mixinStandardHelpOptions = true, description = {
            "Give a SCRAM-SHA-512 user a new password: the Secret <cluster>-user-<name> gets it (keys password and sasl.jaas.config)"
                    + " and Kafka's credential is set from it; from then on the old password is refused.",
            "Connections already open stay until they reconnect (or re-authenticate, where the cluster sets connections.max.reauth.ms);"
                    + " no pod restarts. Applications must read the new password from the Secret before they next connect.",
            "cox get CLUSTER shows when each user's password was last rotated; the audit trail names this command as the cause.",
            "A certificate (TLS) user is refused: Kafka cannot revoke a certificate; see cox replace-ca, or delete the user and"
                    + " create one of another name."})
    static final class RotatePassword implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "NAME") String name;
        @Option(names = "--reason", description = "Why (kept in the log): a password that may have leaked, a rotation policy.") String reason;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "RotateUserPassword", ClusterCommands.withReason(ClusterCommands.object().put("name", name), reason));
        }
    }

    /**
     * Under {@code cox get CLUSTER}: each user with its authentication and the Secret holding its credentials, and the SCRAM
     * listener while it is open (its address is what a SCRAM client needs); nothing when there are no users.
     */
    static void printUsers(PrintWriter out, JsonNode cluster) {
        String id = cluster.path("clusterId").asText();
        List<List<String>> rows = new ArrayList<>();
        cluster.path("users").fields().forEachRemaining(user -> {
            String authentication = user.getValue().path("authentication").asText(UserShape.TLS_USER);
            rows.add(List.of(user.getKey(), authentication, AccessNames.userSecret(id, user.getKey()), password(authentication, user.getValue())));
        });
        if (rows.isEmpty()) {
            return;
        }
        out.println();
        Output.table(out, List.of("USER", "AUTH", "SECRET", "PASSWORD"), rows);
        if (cluster.at("/spec/scramListener").asBoolean()) {
            out.println("SCRAM listener: port 9095 of " + id + "-kafka-bootstrap (SASL_SSL, SCRAM-SHA-512)");
            String external = cluster.at("/spec/externalAccess").asText("NONE");
            if (!"NONE".equals(external)) { // the same listener from outside, on a second port of each broker's external Service
                out.println("  from outside (" + external + "): port external-scram of each " + id + "-broker-N-external Service");
            }
        }
        printAcls(out, cluster.path("users"));
    }

    /**
     * The PASSWORD cell: "-" for a certificate user (it has none), "set at creation" for a SCRAM user never rotated,
     * else when the latest rotation was asked for and which one it is (the reason and the command are in -o json).
     */
    private static String password(String authentication, JsonNode user) {
        if (!UserShape.isScram(authentication)) {
            return "-";
        }
        JsonNode rotation = user.path("passwordRotation");
        return rotation.isObject() ? "rotated " + Output.text(rotation, "requestedAt") + " (#" + Output.text(rotation, "generation") + ")"
                : "set at creation";
    }

    /** Under {@code cox get CLUSTER}: each user's quotas, then its ACLs, one line per rule in the {@code --acl} form; nothing when there are no users. */
    private static void printAcls(PrintWriter out, JsonNode users) {
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
