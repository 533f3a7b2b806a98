package org.lossagg.losses;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The byte layout shared by the {@link LossAggregation} encodings: a format version byte and a kind
 * byte (so that the state of one kind of aggregation is never read as another), then big-endian
 * fields and length-prefixed blocks. Readers reject truncated input, trailing bytes and unknown
 * versions or kinds with an {@link IllegalArgumentException} naming the state. In Spark's aggregation
 * buffers these bytes follow a {@link StatePreamble} that names the loss they belong to.
 */
final class StateBytes {
  static final int VERSION = 1;
  /** {@link PerSampleAggregation}. */
  static final byte PER_SAMPLE = 'P';
  /** {@link BinaryLabelHingeLoss}'s table-wide label decision. */
  static final byte HINGE = 'H';
  /** {@link OverlapAggregation} (Dice / Tversky, axis=None). */
  static final byte OVERLAP = 'O';
  /** {@link Circle}'s collected group. */
  static final byte CIRCLE = 'C';

  private StateBytes() {}

  /** Starts an encoding of a state of {@code kind}. */
  static Writer writer(byte kind) {
    return new Writer(kind);
  }

  /** Opens an encoding that must be of {@code kind}; {@code what} names the state in errors. */
  static Reader reader(byte[] bytes, byte kind, String what) {
    if (bytes == null || bytes.length < 2) {
      throw new IllegalArgumentException(what + ": cannot restore a state from " + (bytes == null ? "null"
          : bytes.length + " bytes") + "; expected the bytes of LossAggregation.toBytes()");
    }
    if (bytes[0] != VERSION || bytes[1] != kind) {
      throw new IllegalArgumentException(what + ": state bytes start with version " + bytes[0] + ", kind '"
          + (char) bytes[1] + "'; expected version " + VERSION + ", kind '" + (char) kind + "' (bytes of another"
          + " kind of loss aggregation, or of another lossagg version)");
    }
    return new Reader(ByteBuffer.wrap(bytes, 2, bytes.length - 2), bytes.length, what);
  }

  static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    private Writer(byte kind) {
      bytes.write(VERSION);
      bytes.write(kind);
    }

    Writer putBoolean(boolean v) {
      return io(() -> out.writeBoolean(v));
    }

    Writer putInt(int v) {
      return io(() -> out.writeInt(v));
    }

    Writer putLong(long v) {
      return io(() -> out.writeLong(v));
    }

    /** The exact bits, so NaN payloads and signed zeros survive. */
    Writer putDouble(double v) {
      return io(() -> out.writeLong(Double.doubleToRawLongBits(v)));
    }

    /** A block prefixed by its length (4 bytes). */
    Writer putBlock(byte[] block) {
      return io(() -> {
        out.writeInt(block.length);
        out.write(block);
      });
    }

    byte[] toBytes() {
      return bytes.toByteArray();
    }

    private Writer io(IoAction a) {
      try {
        a.run();
      } catch (IOException e) {
        // A ByteArrayOutputStream does not throw.
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  static final class Reader {
    private final ByteBuffer buf;
    private final int length;
    private final String what;

    private Reader(ByteBuffer buf, int length, String what) {
      this.buf = buf;
      this.length = length;
      this.what = what;
    }

    boolean getBoolean() {
      byte b = underflowChecked(() -> buf.get());
      if (b != 0 && b != 1) {
        throw new IllegalArgumentException(what + ": state bytes hold " + b + " where a flag (0 or 1) belongs");
      }
      return b == 1;
    }

    int getInt() {
      return underflowChecked(buf::getInt);
    }

    long getLong() {
      return underflowChecked(buf::getLong);
    }

    double getDouble() {
      return Double.longBitsToDouble(getLong());
    }

    byte[] getBlock() {
      int n = getInt();
      if (n < 0 || n > buf.remaining()) {
        throw new IllegalArgumentException(what + ": state bytes announce a block of " + n + " bytes with "
            + buf.remaining() + " left (truncated or corrupt input of " + length + " bytes)");
      }
      byte[] b = new byte[n];
      buf.get(b);
      return b;
    }

    /** Whether bytes are left (a block that states of earlier lossagg versions did not write yet). */
    boolean hasMore() {
      return buf.hasRemaining();
    }

    /** Rejects trailing bytes. */
    void end() {
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException(what + ": " + buf.remaining() + " trailing bytes after the state");
      }
    }

    private <T> T underflowChecked(java.util.function.Supplier<T> s) {
      try {
        return s.get();
      } catch (BufferUnderflowException e) {
        throw new IllegalArgumentException(what + ": truncated state bytes (" + length + " bytes)", e);
      }
    }
  }
}
