package io.coxswain.commands.cli;

import static io.coxswain.commands.cli.ReadCommands.ok;
import static io.coxswain.commands.cli.ReadCommands.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cox nodes}: the fold nodes the gateway sees, and the commands schema version each announces ({@code GET /v1/nodes}). */
@Command(name = "nodes", description = "The fold nodes the gateway sees (members of the fold's consumer group) and the commands schema"
        + " version each announces. During a rolling upgrade the gateway refuses (NODES_BEHIND) a command an older node would not read"
        + " whole; send it again once every node is upgraded.")
final class NodesCommand implements Callable<Integer> {

    @ParentCommand Cox cox;
    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;

    @Override
    public Integer call() {
        JsonNode nodes = ok(cox.client().get("/v1/nodes"));
        PrintWriter out = cox.out();
        render(out, format, nodes, () -> {
            List<List<String>> rows = new ArrayList<>();
            nodes.path("members").forEach(m -> rows.add(List.of(Output.text(m, "node"), Output.text(m, "host"),
                    m.path("commandsSchemaVersion").isNull() ? "unknown" : "v" + m.path("commandsSchemaVersion").asInt(), Output.text(m, "clientId"))));
            int gateway = nodes.path("commandsSchemaVersion").asInt();
            if (rows.isEmpty()) {
                out.println("no fold node is in group " + Output.text(nodes, "group") + ": commands written now wait for a node to start");
                return;
            }
            Output.table(out, List.of("NODE", "HOST", "COMMANDS SCHEMA", "CLIENT ID"), rows);
            JsonNode oldest = nodes.path("oldestCommandsSchemaVersion");
            out.println("this gateway writes commands schema v" + gateway + (oldest.isNull() ? "; no node announces its version"
                    : oldest.asInt() < gateway ? "; the oldest node reads v" + oldest.asInt() + ": a command it would not read whole is refused"
                    + " (NODES_BEHIND) until every node is upgraded" : "; every node that announces its version reads it"));
            if (rows.stream().anyMatch(r -> r.get(2).equals("unknown"))) {
                out.println("unknown: a Coxswain from before version announcements; commands are written as before, and such a node"
                        + " rejects one it cannot read whole (send it again once it is upgraded)");
            }
        });
        return 0;
    }
}
