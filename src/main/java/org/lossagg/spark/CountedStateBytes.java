package org.lossagg.spark;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.lossagg.losses.StatePreamble;

/**
 * The bytes of a keras_loss-style aggregation buffer: the preamble naming the loss
 * ({@link StatePreamble}), rows added and rows left out (8 bytes each), then the loss state's own
 * bytes. Read back also from the unversioned bytes lossagg wrote before the preamble.
 */
record CountedStateBytes(long rows, long nullRows, byte[] body) {

  static byte[] write(StatePreamble preamble, long rows, long nullRows, byte[] body) {
    return preamble.writeTo(ByteBuffer.allocate(preamble.length() + 16 + body.length)).putLong(rows).putLong(nullRows)
        .put(body).array();
  }

  /** {@code bytes} split into counts and body; {@code aggregate} names the function in errors. */
  static CountedStateBytes read(StatePreamble preamble, byte[] bytes, String aggregate) {
    int at = preamble.bodyOffset(bytes, aggregate);
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes, at, bytes.length - at);
      long rows = buf.getLong();
      long nullRows = buf.getLong();
      return new CountedStateBytes(rows, nullRows, Arrays.copyOfRange(bytes, at + 16, bytes.length));
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(aggregate + ": truncated aggregation buffer of " + bytes.length + " bytes", e);
    }
  }
}
