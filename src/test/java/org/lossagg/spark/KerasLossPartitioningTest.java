package org.lossagg.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.LossCatalog;
import org.lossagg.numerics.NdArray;

/**
 * The distributed promise for every catalogue loss: {@code keras_loss} over a generated table gives
 * {@code Loss.call} on the whole table as one batch, bit for bit, however the rows are split —
 * 1, 2, 3, 7, 64 and 200 partitions (most of them empty), a skewed split, a range split, a shuffled
 * order — and each GROUP BY slice gives {@code Loss.call} on that slice.
 */
class KerasLossPartitioningTest {
  private static final int ROWS = 40;
  private static List<LossTables.Case> cases;
  private static NdArray weights;
  private static Dataset<Row> table;
  private static List<String> aggregates;

  @BeforeAll
  static void buildTable() {
    Random rnd = new Random(20250101);
    cases = LossTables.all(rnd, ROWS);
    weights = LossTables.weights(rnd, ROWS);
    List<SparkTables.Column> columns = new ArrayList<>();
    columns.add(new SparkTables.Column("w", weights));
    aggregates = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      LossTables.Case c = cases.get(i);
      columns.add(new SparkTables.Column("t" + i, c.yTrue()));
      columns.add(new SparkTables.Column("p" + i, c.yPred()));
      String config = SparkTables.quote(c.config());
      aggregates.add("keras_loss(" + config + ", t" + i + ", p" + i + ")");
      aggregates.add("keras_loss(" + config + ", t" + i + ", p" + i + ", w)");
    }
    List<Object[]> extra = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      // skew: 36 rows share one hash key; g: three groups of unequal size.
      extra.add(new Object[] {r, r % 7 == 0 ? 0 : r % 7 < 3 ? 1 : 2, r < 36 ? 0 : r});
    }
    List<DataType> types = List.of(DataTypes.IntegerType, DataTypes.IntegerType, DataTypes.IntegerType);
    table = SparkTables.frame(columns, List.of("id", "g", "skew"), types, extra);
  }

  /** Keras' value on the whole batch, unweighted and weighted, per loss. */
  private static double[] expected(List<Integer> rows) {
    double[] out = new double[2 * cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      LossTables.Case c = cases.get(i);
      NdArray t = SparkTables.pick(c.yTrue(), rows);
      NdArray p = SparkTables.pick(c.yPred(), rows);
      out[2 * i] = c.loss().call(t, p).item();
      out[2 * i + 1] = c.loss().call(t, p, SparkTables.pick(weights, rows)).item();
    }
    return out;
  }

  private static List<Integer> allRows() {
    List<Integer> all = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      all.add(r);
    }
    return all;
  }

  @Test
  void everySplitOfTheTableGivesTheSingleBatchValueBitForBit() {
    double[] expected = expected(allRows());
    Map<String, Dataset<Row>> splits = new LinkedHashMap<>();
    for (int n : new int[] {1, 2, 3, 7, 64, 200}) {
      splits.put(n + " partitions", table.repartition(n));
    }
    splits.put("skewed (36 of 40 rows in one partition)", table.repartition(3, col("skew")));
    splits.put("range split on id", table.repartitionByRange(8, col("id")));
    splits.put("shuffled order, 5 partitions", table.orderBy(rand(11)).repartition(5));
    splits.put("coalesced to 1 after 200", table.repartition(200).coalesce(1));
    for (Map.Entry<String, Dataset<Row>> split : splits.entrySet()) {
      Row got = split.getValue().selectExpr(aggregates.toArray(new String[0])).first();
      for (int k = 0; k < expected.length; k++) {
        assertEquals(Double.doubleToLongBits(expected[k]), Double.doubleToLongBits(SparkTables.value(got, k)),
            describe(k) + " over " + split.getKey() + ": " + SparkTables.value(got, k) + " vs one batch " + expected[k]);
      }
    }
  }

  @Test
  void groupBySlicesGiveTheClassFormOnEachSlice() {
    table.repartition(7).createOrReplaceTempView("loss_table");
    List<Row> groups = SparkTestSession.get().sql("SELECT g, " + String.join(", ", aggregates) + " FROM loss_table GROUP BY g ORDER BY g")
        .collectAsList();
    assertEquals(3, groups.size());
    for (Row r : groups) {
      int g = r.getInt(0);
      List<Integer> slice = new ArrayList<>();
      for (int id = 0; id < ROWS; id++) {
        if ((id % 7 == 0 ? 0 : id % 7 < 3 ? 1 : 2) == g) {
          slice.add(id);
        }
      }
      double[] expected = expected(slice);
      for (int k = 0; k < expected.length; k++) {
        assertEquals(Double.doubleToLongBits(expected[k]), Double.doubleToLongBits(SparkTables.value(r, k + 1)),
            describe(k) + " in group " + g + ": " + SparkTables.value(r, k + 1) + " vs " + expected[k]);
      }
    }
  }

  @Test
  void everyCatalogueLossIsInTheTable() {
    assertEquals(LossCatalog.all().size(), cases.size());
  }

  private static String describe(int k) {
    return cases.get(k / 2).className() + (k % 2 == 1 ? " weighted" : "");
  }
}
