package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.access.AccessNames;
import io.coxswain.commands.access.ClientProperties;
import io.coxswain.commands.access.ClientProperties.Access;
import io.coxswain.commands.shape.UserShape;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cox client-config CLUSTER [--user NAME] [--mount-path DIR]}: the properties an application inside Kubernetes
 * needs to reach a cluster, chosen from the cluster's state (its bootstrap address, whether it requires a client
 * certificate, the user's authentication), and the Secret to mount for them. Nothing secret is printed: the properties
 * name the mounted files.
 */
@Command(name = "client-config", mixinStandardHelpOptions = true, description = {
        "Print the Kafka client properties an application inside Kubernetes",
        "uses to reach a cluster, as the cluster's state decides them: TLS with",
        "the cluster CA; with --user, that user's certificate or SCRAM-SHA-512",
        "password. Mount the Secret named in the first lines where --mount-path",
        "says; the properties read its files, so no key or password is printed."})
final class ClientConfigCommand implements Callable<Integer> {

    private static final Pattern MOUNT_PATH = Pattern.compile("/[A-Za-z0-9/._-]*");
    private static final Pattern SERVICE_HOST = Pattern.compile("^[^.,:]+\\.([a-z0-9-]+)\\.svc\\b");

    @ParentCommand Cox cox;
    @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
    @Option(names = "--user", paramLabel = "NAME", description = "The user the application connects as (cox get CLUSTER lists them);"
            + " required where the cluster's clientAuthentication is TLS.") String user;
    @Option(names = "--mount-path", paramLabel = "DIR", description = "Where the application mounts the Secret (default:"
            + " /etc/kafka/user with --user, /etc/kafka/cluster-ca without).") String mountPath;

    @Override
    public Integer call() {
        JsonNode c = ReadCommands.cluster(cox, cluster, "");
        String bootstrap = c.at("/status/bootstrapServers").asText("");
        if (bootstrap.isEmpty()) {
            throw new CliException(CliException.NOT_FOUND, "cluster " + cluster + " has no bootstrap address yet: its executor reports one"
                    + " once the bootstrap Service exists (cox get " + cluster + " shows the phase); try again then");
        }
        Access access = access(c);
        if (mountPath != null && !MOUNT_PATH.matcher(mountPath).matches()) {
            throw new CliException(CliException.BAD_INPUT, "--mount-path '" + mountPath + "' must be an absolute path of letters, digits and"
                    + " / . _ -: the properties name files under it, and ':', '#', '=', '\\' or a space would break them");
        }
        String secret = access == Access.TRUST_ONLY ? AccessNames.caCertSecret(cluster) : AccessNames.userSecret(cluster, user);
        String dir = mountPath != null ? mountPath : access == Access.TRUST_ONLY ? "/etc/kafka/cluster-ca" : "/etc/kafka/user";
        String properties;
        try {
            properties = ClientProperties.text(ClientProperties.of(access, bootstrap, dir));
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.NOT_FOUND, "cluster " + cluster + ": " + e.getMessage() + " (the installation publishes"
                    + " its own bootstrap addresses); the SCRAM listener is port " + AccessNames.SCRAM_PORT + " of " + cluster + "-kafka-bootstrap");
        }
        PrintWriter out = cox.out();
        out.println("# Kafka client properties for cluster " + cluster + (user == null ? "" : " as user " + user + " (" + authentication(c) + ")")
                + ", inside Kubernetes.");
        out.println("# Mount the Secret " + secret + namespace(bootstrap) + " at " + dir + " in the application's pod:");
        out.println("#   volumes:      [{name: kafka-access, secret: {secretName: " + secret + "}}]");
        out.println("#   volumeMounts: [{name: kafka-access, mountPath: " + dir + ", readOnly: true}]");
        if (access == Access.SCRAM) {
            out.println("# The password is read from the mounted file when the client starts: after cox rotate-password, restart it.");
            out.println("# A JVM that sets -Dorg.apache.kafka.automatic.config.providers must list " + AccessNames.DIRECTORY_PROVIDER + ".");
        } else if (access == Access.CERTIFICATE) {
            out.println("# A PEM keystore file without a key password needs Kafka's Java client 3.2 or later.");
        }
        out.print(properties);
        out.flush();
        return 0;
    }

    /** A pod mounts Secrets of its own namespace only: the one the bootstrap Service's name says, when it says one. */
    private static String namespace(String bootstrap) {
        Matcher m = SERVICE_HOST.matcher(bootstrap);
        return m.find() ? " (namespace " + m.group(1) + ")" : "";
    }

    private Access access(JsonNode c) {
        String clientAuthentication = c.at("/spec/clientAuthentication").asText("NONE");
        if (user == null) {
            if ("TLS".equals(clientAuthentication)) {
                throw new CliException(CliException.BAD_INPUT, "cluster " + cluster + " requires a client certificate (clientAuthentication TLS):"
                        + " name the user the application connects as with --user NAME" + users(c));
            }
            return Access.TRUST_ONLY;
        }
        if (!c.path("users").has(user)) {
            throw new CliException(CliException.NOT_FOUND, "cluster " + cluster + " has no user '" + user + "'" + users(c)
                    + "; create it with cox create-user " + cluster + " " + user);
        }
        return UserShape.isScram(authentication(c)) ? Access.SCRAM : Access.CERTIFICATE;
    }

    private String authentication(JsonNode c) {
        return c.path("users").path(user).path("authentication").asText(UserShape.TLS_USER);
    }

    private static String users(JsonNode c) {
        List<String> names = new ArrayList<>();
        c.path("users").fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? " (it has none)" : " (its users: " + String.join(", ", names) + ")";
    }
}
