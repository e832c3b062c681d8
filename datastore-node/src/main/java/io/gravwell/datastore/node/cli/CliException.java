package io.gravwell.datastore.node.cli;

/** A failure the command reports in one line, with the exit code scripts can rely on. */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
