package org.lossagg.spark;

import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One task's groups of a fused aggregation: the grouping key (an UnsafeRow, NULL keys included) to
 * the group's states, in an open-addressing table, and the partial rows it emits (key columns, then
 * each state's buffer bytes: what Spark's own partial aggregation emits, so that Spark's final
 * aggregation merges them). At most {@code maxGroups} groups are held: a new key beyond that first
 * moves every held group to the output, and the table starts empty; the final aggregation merges a
 * key's partial rows exactly, so this changes no bit. An aggregation without grouping has one group
 * (the empty key). Public for generated code.
 */
public final class FusedGroups {
  private final FusedKerasLosses losses;
  private final int maxGroups;
  private final int mask;
  private final UnsafeProjection toOutput;
  /** Slots of the open-addressing table: group index + 1, 0 for empty. */
  private int[] slots;
  private int[] hashes;
  private UnsafeRow[] keys;
  /** The single integral key of each group (see {@link #findLong}), and whether it is NULL. */
  private long[] longKeys;
  private boolean[] nullKeys;
  /**
   * For an integral key in [0, {@link #DIRECT_KEYS}): the key's group + 1 (0: none held), read
   * before the hashed slots, so that small keys (slices, classes, days) cost one array read.
   */
  private int[] direct;
  static final int DIRECT_KEYS = 1024;
  private Object[][] states;
  private int size;
  /** Groups moved out (spilled or finished) and not yet emitted. */
  private UnsafeRow[] outKeys;
  private Object[][] outStates;
  private int outSize;
  private int outNext;
  /** Per aggregate, the batch its rows share across groups ({@link #rowBatch}), or null. */
  private final GroupedRowBatch[] rowBatches;

  FusedGroups(FusedKerasLosses losses) {
    this.losses = losses;
    this.maxGroups = losses.maxGroups();
    int capacity = Integer.highestOneBit(Math.max(4, maxGroups * 2 - 1)) << 1;
    this.mask = capacity - 1;
    this.slots = new int[capacity];
    this.hashes = new int[maxGroups];
    this.keys = new UnsafeRow[maxGroups];
    this.states = new Object[maxGroups][];
    DataType[] keyTypes = losses.keyTypes();
    DataType[] out = Arrays.copyOf(keyTypes, keyTypes.length + losses.size());
    Arrays.fill(out, keyTypes.length, out.length, DataTypes.BinaryType);
    this.toOutput = UnsafeProjection.create(out);
    this.rowBatches = new GroupedRowBatch[losses.size()];
    if (longKeyed(keyTypes)) {
      this.longKeys = new long[maxGroups];
      this.nullKeys = new boolean[maxGroups];
      this.direct = new int[DIRECT_KEYS];
    }
  }

  /**
   * Whether groups of these key types may be looked up by {@link #findLong}: one TINYINT, SMALLINT,
   * INT or BIGINT key, whose value a long holds exactly.
   */
  static boolean longKeyed(DataType[] keyTypes) {
    NumberType t = keyTypes.length == 1 ? NumberType.of(keyTypes[0]) : null;
    return t == NumberType.BYTE || t == NumberType.SHORT || t == NumberType.INT || t == NumberType.LONG;
  }

  /**
   * The batch that aggregate {@code aggregate}'s rows share across this table's groups (see
   * {@link LossAggregateFunction#newGroupedRowBatch}), created on first use, flushed before groups
   * move to the output. Public for generated code.
   */
  public GroupedRowBatch rowBatch(int aggregate) {
    GroupedRowBatch b = rowBatches[aggregate];
    if (b == null) {
      b = losses.function(aggregate).newGroupedRowBatch(this, aggregate, maxGroups);
      rowBatches[aggregate] = b;
    }
    return b;
  }

  /**
   * {@link #find} for a single integral key given as a long (NULL: {@code isNull}), without building
   * and hashing a key row per row; the same groups, the same output.
   */
  public int findLong(boolean isNull, long value) {
    boolean small = !isNull && (value & -DIRECT_KEYS) == 0;
    if (small) {
      int d = direct[(int) value];
      if (d != 0) {
        return d - 1;
      }
    }
    long m = isNull ? 0x5DEECE66DL : value * 0x9E3779B97F4A7C15L;
    int h = (int) (m ^ (m >>> 32));
    int i = (h ^ (h >>> 16)) & mask;
    while (true) {
      int s = slots[i];
      if (s == 0) {
        break;
      }
      int g = s - 1;
      if (nullKeys[g] == isNull && (isNull || longKeys[g] == value)) {
        return g;
      }
      i = (i + 1) & mask;
    }
    if (size == maxGroups) {
      moveAllToOutput();
      return ~findLong(isNull, value);
    }
    int g = size++;
    slots[i] = g + 1;
    longKeys[g] = value;
    nullKeys[g] = isNull;
    if (small) {
      direct[(int) value] = g + 1;
    }
    keys[g] = longKeyRow(isNull, value);
    states[g] = losses.newStates();
    return g;
  }

  private UnsafeRow longKeyRow(boolean isNull, long value) {
    Object v = null;
    if (!isNull) {
      switch (NumberType.of(losses.keyTypes()[0])) {
        case BYTE:
          v = (byte) value;
          break;
        case SHORT:
          v = (short) value;
          break;
        case INT:
          v = (int) value;
          break;
        default:
          v = value;
      }
    }
    return keyProjection().apply(new GenericInternalRow(new Object[] {v})).copy();
  }

  private UnsafeProjection keyProjection;

  private UnsafeProjection keyProjection() {
    if (keyProjection == null) {
      keyProjection = UnsafeProjection.create(losses.keyTypes());
    }
    return keyProjection;
  }

  /** The key of an aggregation without grouping: a row of no columns. */
  public static UnsafeRow noKey() {
    return UnsafeProjection.create(new DataType[0]).apply(new GenericInternalRow(0)).copy();
  }

  /**
   * The group of {@code key} (read, not kept: a new group keeps a copy), created when new. When
   * {@code maxGroups} groups are held, a new key first moves them all to the output
   * ({@link #hasOutput}) and the group {@code g} is returned as {@code ~g} (negative): so the
   * caller checks for output only then, not per row. {@link #findLong} likewise.
   */
  public int find(UnsafeRow key) {
    int h = key.hashCode();
    int i = (h ^ (h >>> 16)) * 0x9E3779B9 & mask;
    while (true) {
      int s = slots[i];
      if (s == 0) {
        break;
      }
      if (hashes[s - 1] == h && keys[s - 1].equals(key)) {
        return s - 1;
      }
      i = (i + 1) & mask;
    }
    if (size == maxGroups) {
      moveAllToOutput();
      return ~find(key);
    }
    int g = size++;
    slots[i] = g + 1;
    hashes[g] = h;
    keys[g] = key.copy();
    states[g] = losses.newStates();
    return g;
  }

  /** The states of group {@code g}, one per aggregate. */
  public Object[] states(int g) {
    return states[g];
  }

  /** Moves every held group to the output (at the end of the input). */
  public void finish() {
    moveAllToOutput();
  }

  private void moveAllToOutput() {
    for (GroupedRowBatch b : rowBatches) {
      if (b != null) {
        b.flush();
      }
    }
    if (size == 0) {
      return;
    }
    if (outNext < outSize) {
      // Groups still waiting to be emitted go first; the output holds at most 2 * maxGroups groups.
      UnsafeRow[] k = Arrays.copyOfRange(outKeys, outNext, outSize + size);
      Object[][] st = Arrays.copyOfRange(outStates, outNext, outSize + size);
      System.arraycopy(keys, 0, k, outSize - outNext, size);
      System.arraycopy(states, 0, st, outSize - outNext, size);
      outKeys = k;
      outStates = st;
      outSize = k.length;
    } else {
      outKeys = Arrays.copyOf(keys, size);
      outStates = Arrays.copyOf(states, size);
      outSize = size;
    }
    outNext = 0;
    if (direct != null) {
      for (int g = 0; g < size; g++) {
        if (!nullKeys[g] && (longKeys[g] & -DIRECT_KEYS) == 0) {
          direct[(int) longKeys[g]] = 0;
        }
      }
    }
    Arrays.fill(slots, 0);
    Arrays.fill(keys, null);
    Arrays.fill(states, null);
    size = 0;
  }

  /** Whether partial rows wait to be emitted. */
  public boolean hasOutput() {
    return outNext < outSize;
  }

  /** The next partial row: the group's key columns, then its states' bytes. */
  public InternalRow nextOutput() {
    int k = outNext++;
    UnsafeRow key = outKeys[k];
    Object[] st = outStates[k];
    outKeys[k] = null;
    outStates[k] = null;
    return toOutput.apply(new JoinedRow(key, new GenericInternalRow(losses.serialize(st)))).copy();
  }
}
