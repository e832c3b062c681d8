package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.config.ConfigException;
import io.gravwell.datastore.protocol.tls.TlsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `datastore` command. Exit codes: 0 ok, 1 failed at run time, 2 bad usage or configuration. */
@Command(
    name = "datastore",
    mixinStandardHelpOptions = true,
    version = "datastore 0.1.0",
    description = "Highly available datastore for Gravwell webservers (Raft over Xodus).",
    subcommands = {
      ServeCommand.class,
      StatusCommand.class,
      MembersCommand.class,
      AddNodeCommand.class,
      RemoveNodeCommand.class,
      ReplaceNodeCommand.class,
      TransferLeaderCommand.class,
      PutCommand.class,
      GetCommand.class,
      SnapshotCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      GenCertCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DatastoreCommand {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    CommonPool.ensureParallelism();
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new DatastoreCommand());
    cl.setExitCodeExceptionMapper(t -> t instanceof CliException e ? e.exitCode() : EXIT_FAILED);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof CliException e) {
        cmd.getErr().println("datastore: " + e.getMessage());
        return e.exitCode();
      }
      if (ex instanceof ConfigException || ex instanceof TlsException) {
        // Both name the file, line or key at fault; a stack trace would only bury that.
        cmd.getErr().println("datastore: " + ex.getMessage());
        return EXIT_USAGE;
      }
      cmd.getErr().println("datastore: " + ex);
      return EXIT_FAILED;
    });
    return cl;
  }
}
