package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.ObjectKey;
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

@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Read one object with a linearizable read. Exit code 3 when it does not exist.")
final class GetCommand implements Callable<Integer> {
  static final int EXIT_NOT_FOUND = 3;

  @Mixin
  ClientOptions client;

  @Option(names = "--domain", defaultValue = "default", description = "domain (default: ${DEFAULT-VALUE})")
  String domain;

  @Parameters(index = "0", description = "kind")
  String kind;

  @Parameters(index = "1", description = "object id")
  String id;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    return client.run("get", conn -> {
      Response r = conn.call(Request.newBuilder().setGet(Get.newBuilder()
          .setKey(ObjectKey.newBuilder().setDomain(domain).setKind(kind).setId(id)))).join();
      if (!r.getGet().getFound()) {
        spec.commandLine().getErr().printf("%s/%s/%s not found%n", domain, kind, id);
        return EXIT_NOT_FOUND;
      }
      StoredObject o = r.getGet().getObject();
      spec.commandLine().getOut().printf("%s (mod_rev %d, create_rev %d, origin %s)%n",
          o.getPayload().toString(StandardCharsets.UTF_8), o.getModRev(), o.getCreateRev(), o.getOrigin());
      spec.commandLine().getOut().flush();
      return DatastoreCommand.EXIT_OK;
    });
  }
}
