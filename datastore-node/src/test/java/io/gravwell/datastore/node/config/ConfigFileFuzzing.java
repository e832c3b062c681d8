package io.gravwell.datastore.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The promise every config loader keeps, for fuzz tests of the node's and the webserver's files: any
 * content either loads into a config that the program can use, or fails with a {@link ConfigException}
 * that names the file (and, for a problem on one line, a line that exists). Nothing else may escape.
 */
public final class ConfigFileFuzzing {
  private static final Path FILE = tempFile();
  private static final Pattern LINE_PROBLEM = Pattern.compile(Pattern.quote(FILE + ":") + "(\\d+): .+", Pattern.DOTALL);

  private ConfigFileFuzzing() {}

  /**
   * Writes {@code content} to a file, loads it with {@code load}, and on success hands the config to
   * {@code use}, which should touch every value the way the program does.
   */
  public static <T> void loadsOrNamesTheProblem(byte[] content, Function<Path, T> load, Consumer<T> use) {
    try {
      Files.write(FILE, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    T config;
    try {
      config = load.apply(FILE);
    } catch (ConfigException e) {
      String message = e.getMessage();
      assertThat(message).as("names the file").startsWith(FILE + ":");
      Matcher line = LINE_PROBLEM.matcher(message);
      if (line.matches()) {
        long lines = new String(content, StandardCharsets.UTF_8).split("\n", -1).length;
        assertThat(Long.parseLong(line.group(1))).as("line number in %s", message).isBetween(1L, lines);
      }
      return;
    }
    use.accept(config);
  }

  private static Path tempFile() {
    try {
      Path dir = Files.createTempDirectory("config-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("fuzz.conf");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
