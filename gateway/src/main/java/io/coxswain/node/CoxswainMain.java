package io.coxswain.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/coxswain}: the launcher of a Coxswain node and its tools. */
@Command(name = "coxswain", mixinStandardHelpOptions = true, version = "coxswain 0.1.0",
        description = "Event-sourced orchestrator for Kafka platforms on Kubernetes.",
        subcommands = {DevCommand.class, RunCommand.class, ReplayCommand.class})
public final class CoxswainMain implements Runnable {

    public static void main(String[] args) {
        int exit = new CommandLine(new CoxswainMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
