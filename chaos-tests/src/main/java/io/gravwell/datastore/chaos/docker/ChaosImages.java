package io.gravwell.datastore.chaos.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The node and reference-webserver images, built during the test run from the project's own shaded jars
 * on top of the local base image (scripts/docker-setup.sh). No registry is ever contacted.
 */
public final class ChaosImages {
  /** Where each container finds its config, TLS files, data and log: a host directory bind-mounted here. */
  public static final String RUN_DIR = "/opt/gravwell/run";
  public static final String TLS_DIR = "/opt/gravwell/tls";
  /** Extra `serve` flags for one node, e.g. --join, in its run directory. */
  public static final String SERVE_FLAGS = "serve-flags";
  private static final String JVM =
      "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.util.concurrent.ForkJoinPool.common.parallelism=4";

  private static String node;
  private static String webserver;

  private ChaosImages() {}

  public static synchronized String node(Path projectRoot) {
    if (node == null) {
      // A node added later starts with `serve --join` (an empty group, as Ratis requires): its run
      // directory then holds a serve-flags file, read with shell builtins (the base image has no cat).
      node = build("gravwell-chaos-node", jar(projectRoot, "datastore-node", "datastore.jar"),
          "FLAGS=; [ -f " + RUN_DIR + "/" + SERVE_FLAGS + " ] && read FLAGS < " + RUN_DIR + "/" + SERVE_FLAGS + "; ",
          JVM + " -Xmx256m -jar /opt/gravwell/app.jar serve $FLAGS -c " + RUN_DIR + "/node.conf");
    }
    return node;
  }

  public static synchronized String webserver(Path projectRoot) {
    if (webserver == null) {
      webserver = build("gravwell-chaos-webserver", jar(projectRoot, "reference-webserver", "webserver.jar"), "",
          JVM + " -Xmx192m -jar /opt/gravwell/app.jar -c " + RUN_DIR + "/webserver.conf");
    }
    return webserver;
  }

  private static Path jar(Path projectRoot, String module, String name) {
    Path jar = projectRoot.resolve(module).resolve("target").resolve(name).normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the chaos runs need " + jar + ", which only `package` makes: run"
          + " `mvn -B -ntp verify` (the README command), or `mvn -B -ntp verify -pl chaos-tests -am`;"
          + " `mvn test` stops before the jars are packaged");
    }
    return jar;
  }

  /**
   * Builds once per jar: the tag is a digest of the jar and the command, so a rebuilt jar gets a new
   * image and an unchanged one reuses the image of an earlier run (sending 45 MB of context costs ~30 s).
   */
  private static String build(String repository, Path jar, String prelude, String command) {
    // Console output goes to a file in the bind-mounted run directory, so it survives the container.
    String entry = prelude + "exec " + command + " >>" + RUN_DIR + "/console.log 2>&1";
    String tag = repository + ":" + digest(jar, entry);
    try {
      DockerEngine.client().inspectImageCmd(tag).exec();
      return tag;
    } catch (RuntimeException e) {
      // not built yet
    }
    ImageFromDockerfile image = new ImageFromDockerfile(tag, false)
        .withFileFromPath("app.jar", jar)
        .withDockerfileFromBuilder(b -> b.from(DockerEngine.BASE_IMAGE)
            .copy("app.jar", "/opt/gravwell/app.jar")
            .entryPoint("/bin/sh", "-c", entry)
            .build());
    return image.get();
  }

  private static String digest(Path jar, String entry) {
    try (java.io.InputStream in = Files.newInputStream(jar)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
      sha.update(entry.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha.digest(), 0, 6);
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot read " + jar + ": " + e, e);
    }
  }

}
