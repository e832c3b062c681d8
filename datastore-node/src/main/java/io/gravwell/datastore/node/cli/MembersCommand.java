package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.StatusResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "members", mixinStandardHelpOptions = true,
    description = "List the Raft members as the node asked knows them: id, role, Raft address, client address.")
final class MembersCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Option(names = "--json", description = "a JSON array instead of a table, for scripts")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return client.run("members", conn -> {
      StatusResult s = ClusterView.status(conn);
      if (json) {
        out.println(Json.write(membersJson(s.getMembersList())));
      } else {
        print(out, s.getMembersList());
      }
      out.flush();
      return DatastoreCommand.EXIT_OK;
    });
  }

  static void print(PrintWriter out, List<Member> members) {
    String format = "%-10s %-9s %-21s %s%n";
    out.printf(format, "ID", "ROLE", "RAFT", "CLIENT");
    for (Member m : members) {
      out.printf(format, m.getId(), m.getRole(), m.getRaftAddress(),
          m.getClientAddress().isEmpty() ? "(unknown)" : m.getClientAddress());
    }
  }

  static List<Object> membersJson(List<Member> members) {
    List<Object> list = new ArrayList<>();
    for (Member m : members) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", m.getId());
      o.put("role", m.getRole());
      o.put("raft_address", m.getRaftAddress());
      o.put("client_address", m.getClientAddress());
      list.add(o);
    }
    return list;
  }
}
