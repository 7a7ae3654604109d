package io.coxswain.commands.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cox client-authentication CLUSTER NONE|OPTIONAL|TLS}: named after create-cluster's
 * {@code --client-authentication} and the state's {@code spec.clientAuthentication}, so a person meets one
 * word for it everywhere. The value is sent as typed: the gateway's shape check owns the list and names the field.
 */
@Command(name = "client-authentication", mixinStandardHelpOptions = true, description = {
        "Move a running cluster one step between client authentication NONE,",
        "OPTIONAL and TLS: NONE -> OPTIONAL -> TLS, and back the same way. Its",
        "controllers and brokers roll to the new setting (operation Reconfigure:",
        "follow it with cox operation show CLUSTER).",
        "OPTIONAL: the brokers ask applications for a certificate without requiring",
        "one; those that present their user's certificate (cox create-user) are",
        "named and their ACLs apply, the others connect as ANONYMOUS, allowed",
        "wherever no ACL names the resource. Move each application to its",
        "certificate there, then go to TLS.",
        "TLS: a certificate is required; each platform component needs its user",
        "(a user of the component's name) first.",
        "NONE: no certificate, no ACLs; delete the users first."})
final class ClientAuthCommand implements Callable<Integer> {
    @ParentCommand Cox cox;
    @Mixin Submit submit;
    @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
    @Parameters(index = "1", paramLabel = "SETTING", description = "NONE, OPTIONAL or TLS: one step from the cluster's current one.") String setting;

    @Override
    public Integer call() {
        return submit.send(cox, cluster, "ChangeClientAuthentication", ClusterCommands.object().put("clientAuthentication", setting));
    }
}
