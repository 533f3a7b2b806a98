package org.lossagg.losses;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The preamble that starts every aggregation buffer lossagg's Spark aggregates serialize
 * ({@code keras_loss} and its all-reductions form, {@code loss_reduce}, {@code loss_summary}): the
 * bytes Spark ships between tasks and keeps in a streaming query's state store. It says what the
 * state is, so a buffer is never merged into a state of another loss: Spark's state-store schema
 * check only sees a {@code binary} column, and a restarted streaming query with another loss config
 * would otherwise fold its rows into the old sums and report a number no loss has.
 *
 * <h2>Layout (big-endian)</h2>
 * <pre>
 * offset  bytes  field
 *      0      2  magic 0x4C 0x41 ("LA")
 *      2      1  preamble format version: 1
 *      3      1  state kind: 'K' a keras_loss state (keras_loss, keras_loss_reductions),
 *                            'R' per-row loss values (loss_reduce, loss_summary)
 *      4      8  fingerprint: the first 8 bytes of SHA-256 over the identity text (UTF-8)
 *     12      2  n: length of the identity text in bytes (unsigned)
 *     14      n  identity text (UTF-8): for 'K' the loss as LossStateIdentity writes it (class,
 *                options, dtype, numerics), for 'R' a fixed text
 *   14+n      -  the kind's body: 'K' rows added and rows left out (8 bytes each), then
 *                LossAggregation.toBytes() (see StateBytes); 'R' rows with a loss (8 bytes), then
 *                LossAccumulator.toBytes()
 * </pre>
 *
 * <p>The typed {@code KerasLossDatasetAggregator} writes the same preamble (kind 'K') before
 * LossAggregation.toBytes() inside its Java-serialized buffer; its buffers of earlier lossagg hold
 * LossAggregation.toBytes() alone, which starts with StateBytes' version byte 1.
 *
 * <p>Buffers written before the preamble existed ("version 0": the body alone) start with the
 * 8-byte row count, so their first byte is 0 (no table has 2^56 rows); they are read as a body of
 * the reader's own loss, which they cannot be checked against. The magic's first byte is never 0,
 * so the two are told apart by the first byte.
 *
 * <p>A reader accepts a buffer when kind and fingerprint are its own; otherwise it fails with a
 * {@link MismatchException} naming both states, and the streaming remedy.
 */
public final class StatePreamble {
  public static final int VERSION = 1;
  /** A keras_loss state: its identity is the loss. */
  public static final byte KERAS_LOSS = 'K';
  /** A loss_reduce / loss_summary state of per-row loss values. */
  public static final byte LOSS_VALUES = 'R';

  /**
   * A buffer of another loss, kind or format version than its reader's: in practice, a streaming
   * checkpoint resumed with another query. The message names both states.
   */
  public static final class MismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MismatchException(String message) {
      super(message);
    }
  }

  private static final byte MAGIC0 = 0x4C;
  private static final byte MAGIC1 = 0x41;
  private static final int FIXED = 14;

  private final byte kind;
  private final String identity;
  private final byte[] header;
  private final long fingerprint;

  private StatePreamble(byte kind, String identity) {
    this.kind = kind;
    this.identity = identity;
    byte[] text = identity.getBytes(StandardCharsets.UTF_8);
    if (text.length > 0xFFFF) {
      throw new IllegalArgumentException("state identity of " + text.length + " bytes; at most 65535 fit the preamble: "
          + identity.substring(0, 200) + "...");
    }
    this.fingerprint = fingerprint(text);
    this.header = ByteBuffer.allocate(FIXED + text.length).put(MAGIC0).put(MAGIC1).put((byte) VERSION).put(kind)
        .putLong(fingerprint).putShort((short) text.length).put(text).array();
  }

  /** The preamble of states of {@code kind} identified by {@code identity}. */
  public static StatePreamble of(byte kind, String identity) {
    if (kind != KERAS_LOSS && kind != LOSS_VALUES) {
      throw new IllegalArgumentException("unknown state kind '" + (char) kind + "'");
    }
    return new StatePreamble(kind, identity);
  }

  public String identity() {
    return identity;
  }

  public long fingerprint() {
    return fingerprint;
  }

  /** Bytes of the preamble; the body follows. */
  public int length() {
    return header.length;
  }

  /** Writes the preamble at {@code out}'s position. */
  public ByteBuffer writeTo(ByteBuffer out) {
    return out.put(header);
  }

  /** Whether {@code bytes} start with a preamble (the magic), of any version. */
  public static boolean starts(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == MAGIC0 && bytes[1] == MAGIC1;
  }

  /**
   * Where the body of {@code bytes} starts, once the preamble is checked to be this one: after the
   * preamble, or 0 for a buffer written before preambles (version 0). {@code function} (the SQL
   * name) starts every error.
   */
  public int bodyOffset(byte[] bytes, String function) {
    if (bytes.length > 0 && bytes[0] == 0) {
      return 0;
    }
    if (bytes.length < FIXED || bytes[0] != MAGIC0 || bytes[1] != MAGIC1) {
      throw new IllegalArgumentException(function + ": " + bytes.length + " bytes that are not a lossagg aggregation state"
          + " (they start with " + hexStart(bytes) + "; a lossagg state starts with 4C 41, or 00 if written before"
          + " states had a version)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int version = in.get(2);
    if (version != VERSION) {
      throw new MismatchException(function + ": aggregation state of format version " + (version & 0xFF)
          + "; this lossagg reads version " + VERSION + " (and the unversioned states of earlier lossagg). It was"
          + " written by another lossagg version: run that version, or start a new streaming checkpoint");
    }
    int n = in.getShort(12) & 0xFFFF;
    if (bytes.length < FIXED + n) {
      throw new IllegalArgumentException(function + ": truncated aggregation state (" + bytes.length + " bytes; its"
          + " preamble announces " + (FIXED + n) + ")");
    }
    byte theirKind = in.get(3);
    if (theirKind != kind || in.getLong(4) != fingerprint) {
      String theirs = new String(bytes, FIXED, n, StandardCharsets.UTF_8);
      throw new MismatchException(function + " computes " + describe(kind, identity) + ", but the aggregation"
          + " state it was given holds state for " + describe(theirKind, theirs) + ". Restarting a streaming query:"
          + " the checkpoint holds state for " + describe(theirKind, theirs) + "; start a new checkpoint or use "
          + theirs);
    }
    return FIXED + n;
  }

  private static String describe(byte kind, String identity) {
    return switch (kind) {
      case KERAS_LOSS -> identity;
      case LOSS_VALUES -> identity + " (a loss_reduce / loss_summary state)";
      default -> identity + " (a state of unknown kind '" + (char) kind + "')";
    };
  }

  private static String hexStart(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      s.append(i == 0 ? "" : " ").append(String.format("%02X", bytes[i]));
    }
    return bytes.length == 0 ? "nothing" : s.toString();
  }

  private static long fingerprint(byte[] text) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(text)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
