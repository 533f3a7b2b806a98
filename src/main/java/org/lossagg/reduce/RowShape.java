package org.lossagg.reduce;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The one row shape (without the batch axis) a reduction state has seen, for refusing ragged
 * tables: Keras reduces a batch, and a batch has one shape, so rows of length 2 and 3 in one table
 * have no Keras value. The first row (or merged state) sets the shape; a row or state of another
 * shape is an {@link IllegalArgumentException} naming both. A state without rows has no shape and
 * merges with any.
 */
public final class RowShape {
  private int[] dims;

  /**
   * Notes a row of shape {@code rowDims}; {@code who} (the loss or function) and {@code what} (the
   * argument, e.g. y_pred) name them in the error.
   */
  public void note(int[] rowDims, String who, String what) {
    noteFrom(rowDims, 0, who, what);
  }

  /**
   * Notes the row shape {@code shape[from:]} (e.g. from 1 for a chunk's shape, whose axis 0 is the
   * batch), without copying it when it is the shape seen.
   */
  public void noteFrom(int[] shape, int from, String who, String what) {
    if (dims != null && Arrays.equals(dims, 0, dims.length, shape, from, shape.length)) {
      return;
    }
    int[] rowDims = Arrays.copyOfRange(shape, from, shape.length);
    if (dims != null) {
      throw ragged(who, what, dims, rowDims);
    }
    dims = rowDims;
  }

  /** Notes a row that is a vector of {@code length} elements, without allocating when it is the shape seen. */
  public void noteVector(int length, String who, String what) {
    if (dims == null || dims.length != 1 || dims[0] != length) {
      note(new int[] {length}, who, what);
    }
  }

  /** Folds another state's shape into this one, failing as {@link #note} does. */
  public void merge(RowShape other, String who, String what) {
    if (other.dims != null) {
      note(other.dims, who, what);
    }
  }

  /** The shape seen, or null. */
  public int[] dims() {
    return dims == null ? null : dims.clone();
  }

  /** The error for rows of shapes {@code a} and {@code b}. */
  public static IllegalArgumentException ragged(String who, String what, int[] a, int[] b) {
    return new IllegalArgumentException(who + ": rows of " + what + " shape " + python(a) + " and " + python(b)
        + " in one table or group; Keras reduces a batch, and a batch has one shape: give every row the same shape,"
        + " or GROUP BY it (e.g. size(" + what + "))");
  }

  /** A shape as Python prints a tuple: (), (3,), (2, 3). */
  public static String python(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(')').toString();
  }

  /** Rank (-1 for no shape, one byte) then the dimensions (4 bytes each). */
  public byte[] toBytes() {
    int rank = dims == null ? -1 : dims.length;
    ByteBuffer buf = ByteBuffer.allocate(1 + 4 * Math.max(rank, 0)).put((byte) rank);
    for (int i = 0; i < rank; i++) {
      buf.putInt(dims[i]);
    }
    return buf.array();
  }

  /** Decodes {@link #toBytes()}. */
  public static RowShape fromBytes(byte[] bytes) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      int rank = buf.get();
      RowShape s = new RowShape();
      if (rank >= 0) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
          d[i] = buf.getInt();
          if (d[i] < 0) {
            throw new IllegalArgumentException("RowShape.fromBytes: negative dimension " + d[i]);
          }
        }
        s.dims = d;
      } else if (rank != -1) {
        throw new IllegalArgumentException("RowShape.fromBytes: rank " + rank + "; expected -1 (none) or >= 0");
      }
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException("RowShape.fromBytes: " + buf.remaining() + " trailing bytes");
      }
      return s;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("RowShape.fromBytes: truncated input of " + bytes.length + " bytes", e);
    }
  }
}
