package io.coxswain.commands.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cox}: Coxswain's command line, like kubectl for Kafka platforms. Talks to a gateway
 * ({@code --gateway} or {@code COX_GATEWAY}) with a bearer token ({@code --token} or
 * {@code COX_TOKEN}, or read from {@code --token-file}/{@code COX_TOKEN_FILE}). Changes wait for their decision by default.
 *
 * <p>Exit codes: 0 done, 1 rejected, 2 bad input, 3 gateway or Kafka unavailable (or no decision
 * in time), 4 not authenticated, 5 not found, 6 verify found differences, 7 cox wait not done in time, 8 recorded as a proposal
 * awaiting approval (not applied).
 */
@Command(name = "cox", mixinStandardHelpOptions = true, version = "cox 0.1.0",
        description = "Drive Coxswain through its gateway.",
        subcommands = {ClusterCommands.CreateCluster.class, ClusterCommands.Scale.class, ClusterCommands.Upgrade.class,
                ClusterCommands.Rebalance.class, CaReplacementCommand.class, ClusterCommands.Pause.class, ClusterCommands.Resume.class, ClusterCommands.Delete.class, LabelCommand.class, ResourcesCommand.Update.class,
                ResourcesCommand.ExpandStorage.class,
                OperationCommands.Restart.class, OperationCommands.Operation.class, FleetCommand.class,
                ConfigCommand.class, TopicCommand.class, ComponentCommand.class, ConnectorCommand.class, MirrorCommand.class, OffsetsCommand.class,
                ApprovalsCommand.class, ApprovalsCommand.Approve.class, ApprovalsCommand.Reject.class, ApprovalsCommand.Withdraw.class,
                ClientAuthCommand.class, MaintenanceWindowsCommand.class, UserCommands.Create.class, UserCommands.UpdateAcls.class, UserCommands.UpdateQuotas.class, UserCommands.Delete.class, UserCommands.RotatePassword.class, ClientConfigCommand.class, ReadCommands.Get.class, ReadCommands.History.class, ReadCommands.Watch.class, WaitCommand.class, ReadCommands.WhoAmI.class, NodesCommand.class,
                AuditCommands.Diff.class, AuditCommands.Audit.class, AuditCommands.Verify.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:rejected by Coxswain (the reason is printed)", "2:bad input", "3:gateway or Kafka unavailable, or no decision in time",
                "4:not authenticated, or not allowed by your roles", "5:not found",
                "6:verify found the live state different from the replay of the log", "7:wait: not done within --timeout",
                "8:recorded as a proposal under the cluster's approval policy, not applied (approve: more approvals needed)"})
public final class Cox implements Runnable {

    @Option(names = "--gateway", defaultValue = "${env:COX_GATEWAY:-http://127.0.0.1:8080}", description = "Gateway URL (env COX_GATEWAY; default ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = "--token", defaultValue = "${env:COX_TOKEN}", description = "Bearer token (env COX_TOKEN).")
    String token;

    @Option(names = "--token-file", defaultValue = "${env:COX_TOKEN_FILE}", paramLabel = "FILE",
            description = "Read the bearer token from this file, e.g. a projected Kubernetes service-account token, which the kubelet renews"
                    + " in place (env COX_TOKEN_FILE). Read at each invocation.")
    java.nio.file.Path tokenFile;

    @Option(names = "--cacert", defaultValue = "${env:COX_CACERT}", paramLabel = "FILE",
            description = "Trust the gateway's certificate if this PEM CA (or the certificate itself) signed it, besides the JVM's own CAs (env COX_CACERT).")
    java.nio.file.Path caCert;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code cox} with the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Cox()).setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException c) {
                commandLine.getErr().println("cox: " + c.getMessage());
                return c.exitCode;
            }
            commandLine.getErr().println("cox: " + e);
            return CliException.UNAVAILABLE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    GatewayClient client() {
        return new GatewayClient(gateway, bearer(), caCert);
    }

    /** The token of {@code --token}, or the first line of {@code --token-file}; both is a mistake a person should hear about. */
    private String bearer() {
        if (tokenFile == null) {
            return token;
        }
        if (token != null && !token.isBlank()) {
            throw new CliException(CliException.BAD_INPUT, "--token (or COX_TOKEN) and --token-file (or COX_TOKEN_FILE) are both set; keep one");
        }
        try {
            return java.nio.file.Files.readAllLines(tokenFile).stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                    .orElseThrow(() -> new CliException(CliException.BAD_INPUT, "--token-file " + tokenFile + " is empty"));
        } catch (java.io.IOException e) {
            throw new CliException(CliException.BAD_INPUT, "cannot read --token-file " + tokenFile + ": " + e.getMessage());
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public void run() {
        spec.commandLine().usage(out());
    }
}
