package org.lossagg.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * An output (directory or file) written under a temporary sibling name and moved into place only by
 * {@link #commit()}, so a reader never sees a partial result at the final path. Any Hadoop file
 * system path works (local, HDFS, object stores).
 */
final class StagedOutput {
  private final FileSystem fs;
  private final Path target;
  private final Path temp;

  private StagedOutput(FileSystem fs, Path target, Path temp) {
    this.fs = fs;
    this.target = target;
    this.temp = temp;
  }

  /**
   * Stages {@code path}; fails (bad input) when something is already there, unless
   * {@code overwrite} or it is an empty directory. {@code option} names the CLI option for messages.
   */
  static StagedOutput stage(SparkSession spark, String path, boolean overwrite, String option) {
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
      return new StagedOutput(fs, target, new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID()));
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

  /** Moves the staged output into place, replacing what was there. */
  void commit() throws IOException {
    if (fs.exists(target) && !fs.delete(target, true)) {
      throw new IOException("could not remove the previous " + target + " (the new output is in " + temp + ")");
    }
    if (!fs.rename(temp, target)) {
      throw new IOException("could not move " + temp + " to " + target);
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
