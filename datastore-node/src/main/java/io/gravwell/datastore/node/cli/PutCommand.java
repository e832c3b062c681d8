package io.gravwell.datastore.node.cli;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "put", mixinStandardHelpOptions = true, description = "Write one object (for operators and demos).")
final class PutCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Option(names = "--domain", defaultValue = "default", description = "domain (default: ${DEFAULT-VALUE})")
  String domain;

  @Parameters(index = "0", description = "kind, e.g. dashboard")
  String kind;

  @Parameters(index = "1", description = "object id")
  String id;

  @Parameters(index = "2", description = "payload (UTF-8 text)")
  String value;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    return client.run("put", conn -> {
      StoredObject obj = StoredObject.newBuilder()
          .setKey(ObjectKey.newBuilder().setDomain(domain).setKind(kind).setId(id))
          .setPayload(ByteString.copyFrom(value, StandardCharsets.UTF_8))
          .setOrigin("datastore-cli")
          .build();
      Response r = conn.call(Request.newBuilder().setPut(Put.newBuilder().setObject(obj))).join();
      MutationResult m = r.getWrite().getResults(0);
      spec.commandLine().getOut().printf("%s %s/%s/%s at revision %d%n", m.getOutcome(), domain, kind, id,
          r.getWrite().getRevision());
      spec.commandLine().getOut().flush();
      return DatastoreCommand.EXIT_OK;
    });
  }
}
