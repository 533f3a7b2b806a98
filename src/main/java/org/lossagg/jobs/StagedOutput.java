package org.lossagg.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * An output (directory or file) written under a temporary sibling name and moved into place only by
 * {@link #commit()}, so a reader never sees a partial result at the final path. Any Hadoop file
 * system path works (local, HDFS, object stores).
 *
 * <p>The temporary name is {@code .NAME.tmp-<uuid>}. An output inside another output of the same
 * run (a report in the output folder) is staged beside the outer one instead, since committing the
 * outer output replaces its folder. A commit also removes what killed runs left: siblings named
 * {@code .NAME.tmp-<uuid>} of its own output, and of nothing else.
 */
final class StagedOutput {
  /** {@code .NAME.tmp-} followed by a random UUID: the temporary names of this class, and only those. */
  private static final Pattern UUID_TEXT = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final FileSystem fs;
  private final Path target;
  private final Path temp;
  private final String option;

  private StagedOutput(FileSystem fs, Path target, Path temp, String option) {
    this.fs = fs;
    this.target = target;
    this.temp = temp;
    this.option = option;
  }

  private static String tempPrefix(Path target) {
    return "." + target.getName() + ".tmp-";
  }

  /** Whether {@code inner} lies strictly inside {@code outer}. */
  private static boolean isInside(Path inner, Path outer) {
    String o = outer.toUri().getPath();
    return inner.toUri().getPath().startsWith(o.endsWith("/") ? o : o + "/")
        && Objects.equals(inner.toUri().getScheme(), outer.toUri().getScheme())
        && Objects.equals(inner.toUri().getAuthority(), outer.toUri().getAuthority());
  }

  /**
   * Stages {@code path}; fails (bad input) when something is already there, unless
   * {@code overwrite} or it is an empty directory. {@code option} names the CLI option for messages.
   */
  static StagedOutput stage(SparkSession spark, String path, boolean overwrite, String option) {
    return stage(spark, path, overwrite, option, List.of());
  }

  /**
   * Like {@link #stage(SparkSession, String, boolean, String)}, for a run that also writes the
   * outputs {@code earlier} (committed before this one): inside one of them, this output is staged
   * beside the outermost; an earlier output inside this one is bad input (committing this one would
   * replace it).
   */
  static StagedOutput stage(SparkSession spark, String path, boolean overwrite, String option,
      List<StagedOutput> earlier) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.setWriteChecksum(false); // no .crc siblings next to the files users open (local file system)
      Path target = fs.makeQualified(p);
      if (fs.exists(target) && !overwrite && !isEmptyDirectory(fs, target)) {
        throw new JobInputException(option + " " + target + " already exists; choose another path or add --overwrite");
      }
      Path parent = target.getParent();
      if (parent == null) {
        throw new JobInputException(option + " must not be a file system root: " + target);
      }
      Path outermost = null;
      for (StagedOutput e : earlier) {
        if (e.target.equals(target)) {
          throw new JobInputException(option + " " + target + " is also " + e.option + "; give each output its own path");
        }
        if (isInside(e.target, target)) {
          throw new JobInputException(e.option + " " + e.target + " lies inside " + option + " " + target
              + ", which replaces it when written; give paths that are not inside each other");
        }
        if (isInside(target, e.target) && (outermost == null || isInside(outermost, e.target))) {
          outermost = e.target;
        }
      }
      Path stagingDir = outermost == null ? parent : outermost.getParent();
      return new StagedOutput(fs, target, new Path(stagingDir, tempPrefix(target) + UUID.randomUUID()), option);
    } catch (IOException e) {
      throw new JobInputException(option + " " + path + " cannot be prepared: " + e.getMessage(), e);
    }
  }

  /** The temporary path to write to (a directory or a file, as the output is). */
  String tempPath() {
    return temp.toString();
  }

  /** The final path. */
  String path() {
    return target.toString();
  }

  /** Writes a text file {@code name} inside the staged directory. */
  void writeText(String name, String text) throws IOException {
    try (OutputStream out = fs.create(new Path(temp, name), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Writes the staged output itself as a text file. */
  void writeText(String text) throws IOException {
    try (OutputStream out = fs.create(temp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Replaces a Spark-written single-partition directory {@code dir} (inside the staged directory) by
   * its one part file under the name {@code file}.
   */
  void flattenSinglePart(String dir, String file) throws IOException {
    Path d = new Path(temp, dir);
    FileStatus[] parts = fs.globStatus(new Path(d, "part-*"));
    if (parts == null || parts.length != 1) {
      throw new IOException("expected one part file in " + d + ", found " + (parts == null ? 0 : parts.length));
    }
    if (!fs.rename(parts[0].getPath(), new Path(temp, file))) {
      throw new IOException("could not move " + parts[0].getPath() + " to " + new Path(temp, file));
    }
    fs.delete(d, true);
  }

  /**
   * Moves the staged output into place, replacing what was there, then removes stale temporary
   * siblings of the same output that killed runs left (see the class comment).
   */
  void commit() throws IOException {
    if (fs.exists(target) && !fs.delete(target, true)) {
      throw new IOException("could not remove the previous " + target + " (the new output is in " + temp + ")");
    }
    fs.mkdirs(target.getParent());
    if (!fs.rename(temp, target)) {
      throw new IOException("could not move " + temp + " to " + target);
    }
    removeStaleTemps(temp.getParent());
    if (!target.getParent().equals(temp.getParent())) {
      removeStaleTemps(target.getParent());
    }
  }

  private void removeStaleTemps(Path dir) throws IOException {
    String prefix = tempPrefix(target);
    FileStatus[] found = fs.listStatus(dir, p -> p.getName().startsWith(prefix)
        && UUID_TEXT.matcher(p.getName().substring(prefix.length())).matches());
    for (FileStatus f : found) {
      fs.delete(f.getPath(), true);
    }
  }

  /** Bytes at the final path (after {@link #commit()}). */
  long size() throws IOException {
    return fs.getContentSummary(target).getLength();
  }

  /** Removes the temporary output (after a failure). */
  void abort() {
    try {
      fs.delete(temp, true);
    } catch (IOException ignored) {
      // Best effort: the temporary name starts with a dot and says what it is.
    }
  }

  private static boolean isEmptyDirectory(FileSystem fs, Path p) throws IOException {
    return fs.getFileStatus(p).isDirectory() && fs.listStatus(p).length == 0;
  }
}
