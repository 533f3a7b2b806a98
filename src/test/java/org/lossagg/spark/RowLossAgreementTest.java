package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.LossSpec;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * For every loss of the catalogue and every row kind it accepts (number, ARRAY, ARRAY&lt;ARRAY&gt;
 * rows; class ids with score vectors; CTC sequences; Circle embeddings), the SQL function gives
 * exactly {@link Loss#functionOnRow} on the same row: DOUBLE predictions in float64, FLOAT ones in
 * float32, with Keras' default options and with every option changed. NULL rows give NULL.
 */
class RowLossAgreementTest {
  static Stream<LossSpec> specs() {
    return LossCatalog.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void sqlEqualsFunctionOnRowForEveryRowKind(LossSpec spec) {
    Loss defaults = spec.create();
    LossOptions customOptions = RowSamples.nonDefault(spec);
    Loss custom = customOptions.create();
    String options = positional(spec, customOptions);
    String optionArgs = options.isEmpty() ? "" : ", " + options;
    for (int[] ranks : RowSamples.rankPairs(spec)) {
      List<RowSamples.Sample> samples = RowSamples.samples(spec, ranks, 6, 31L * ranks[1] + spec.hashCode());
      String view = "agree_" + spec.functionName() + "_" + ranks[1];
      table(spec, ranks, samples).createOrReplaceTempView(view);
      String fn = spec.sqlName();
      String pf = "CAST(p AS " + SparkRows.sqlType("FLOAT", ranks[1]) + ")";
      List<Row> rows = SparkRows.spark().sql("SELECT id, " + fn + "(t, p), " + fn + "(t, " + pf + "), "
          + fn + "(t, p" + optionArgs + "), " + fn + "(t, " + pf + optionArgs + ") FROM " + view).collectAsList();
      assertEquals(samples.size() + 2, rows.size());
      int outRank = outRank(spec, ranks);
      for (int i = 0; i < samples.size(); i++) {
        RowSamples.Sample s = samples.get(i);
        NdArray pf32 = s.yPred().map(x -> (float) x);
        Row r = rows.get(i);
        String where = spec + " ranks " + Arrays.toString(ranks) + " row " + i + " " + s;
        assertEquals(i, r.getInt(0));
        assertEquals(RowSamples.expected(defaults.functionOnRow(s.yTrue(), s.yPred(), DType.FLOAT64), outRank),
            SparkRows.plain(r.get(1)), where + " float64");
        assertEquals(RowSamples.expected(defaults.functionOnRow(s.yTrue(), pf32, DType.FLOAT32), outRank),
            SparkRows.plain(r.get(2)), where + " float32");
        assertEquals(RowSamples.expected(custom.functionOnRow(s.yTrue(), s.yPred(), DType.FLOAT64), outRank),
            SparkRows.plain(r.get(3)), where + " float64 " + options);
        assertEquals(RowSamples.expected(custom.functionOnRow(s.yTrue(), pf32, DType.FLOAT32), outRank),
            SparkRows.plain(r.get(4)), where + " float32 " + options);
      }
      for (int i = samples.size(); i < rows.size(); i++) {
        for (int c = 1; c <= 4; c++) {
          assertNull(rows.get(i).get(c), spec + " NULL row " + i + " column " + c);
        }
      }
    }
  }

  /** Every option of the function, in SQL order, as literals. */
  static String positional(LossSpec spec, LossOptions options) {
    List<String> out = new ArrayList<>();
    for (String name : spec.functionArgs()) {
      out.add(OptionArguments.literal(options.get(name)));
    }
    return String.join(", ", out);
  }

  private static int outRank(LossSpec spec, int[] ranks) {
    switch (spec.rowOutput()) {
      case DROPS_AXIS:
        return ranks[1] == 2 ? 1 : 0;
      case DROPS_CLASS_AXIS:
        return ranks[1] - 1;
      default:
        return 0;
    }
  }

  /** The samples as columns id, t, p, then a row with a NULL y_true and one with a NULL y_pred. */
  static org.apache.spark.sql.Dataset<Row> table(LossSpec spec, int[] ranks, List<RowSamples.Sample> samples) {
    boolean labels = RowSamples.labels(spec);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      RowSamples.Sample s = samples.get(i);
      rows.add(new Object[] {i, labels ? SparkRows.ints(s.yTrue()) : SparkRows.value(s.yTrue()), SparkRows.value(s.yPred())});
    }
    rows.add(new Object[] {samples.size(), null, rows.get(0)[2]});
    rows.add(new Object[] {samples.size() + 1, rows.get(0)[1], null});
    DataType t = SparkRows.nested(labels ? DataTypes.IntegerType : DataTypes.DoubleType, ranks[0]);
    return SparkRows.table(rows, new String[] {"id", "t", "p"},
        new DataType[] {DataTypes.IntegerType, t, SparkRows.doubles(ranks[1])});
  }
}
