package io.gravwell.datastore.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks the zip files Xodus' hot backup writes. */
final class ZipArchives {

  private ZipArchives() {}

  /**
   * Unpacks {@code zip} next to {@code dir} first and swaps it in only when complete, so a crash in the
   * middle leaves either the old directory or the new one, never a half-restored store.
   */
  static void replaceDirectoryWith(Path zip, Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    Path staging = absolute.resolveSibling(absolute.getFileName() + ".restoring");
    deleteRecursively(staging);
    Files.createDirectories(staging);
    unzip(zip, staging);
    deleteRecursively(absolute);
    Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (InputStream raw = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(raw)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
