package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;
import org.lossagg.losses.ReferenceCase;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * The functional-form cases of the shared reference vectors ({@code "call": "function"}, checked
 * against real Keras) through the SQL functions: each sample of the Keras batch is one row, float32
 * cases use FLOAT columns and float64 ones DOUBLE, class ids INT; the options are passed
 * positionally. Circle's case passes its reference rows. Pass rule of the spec:
 * |got - expected| <= tolerance + rtol·|expected|.
 */
class RowLossReferenceVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<ReferenceCase> cases() {
    return ReferenceCase.load().stream().filter(ReferenceCase::functional);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesKerasThroughSql(ReferenceCase c) {
    LossSpec spec = LossCatalog.get(c.loss());
    boolean circle = c.kwargs().size() > 0;
    DataType element = c.predDtype() == DType.FLOAT32 ? DataTypes.FloatType : DataTypes.DoubleType;
    boolean labels = RowSamples.labels(spec);
    int rows = c.yPred().dim(0);
    List<Object[]> data = new ArrayList<>();
    NdArray refLabels = circle ? ReferenceCase.array(c.kwargs().get("ref_labels")) : null;
    NdArray refEmbeddings = circle ? ReferenceCase.array(c.kwargs().get("ref_embeddings")) : null;
    for (int i = 0; i < rows; i++) {
      NdArray t = slice(c.yTrue(), i);
      NdArray p = slice(c.yPred(), i);
      data.add(new Object[] {i, labels ? SparkRows.ints(t) : typed(t, element), typed(p, element),
          circle ? SparkRows.ints(refLabels) : null, circle ? typed(refEmbeddings, element) : null});
    }
    int tr = c.yTrue().rank() - 1;
    int pr = c.yPred().rank() - 1;
    String view = "ref_" + c.id().replace('-', '_');
    SparkRows.table(data, new String[] {"id", "t", "p", "rl", "re"}, new DataType[] {DataTypes.IntegerType,
        SparkRows.nested(labels ? DataTypes.IntegerType : element, tr), SparkRows.nested(element, pr),
        SparkRows.nested(DataTypes.IntegerType, 1), SparkRows.nested(element, 2)}).createOrReplaceTempView(view);
    String call = spec.sqlName() + "(t, p" + (circle ? ", rl, re" : "") + options(spec, c) + ")";
    List<Row> got = SparkRows.spark().sql("SELECT id, " + call + " FROM " + view).collectAsList();
    assertEquals(rows, got.size());
    for (Row r : got) {
      int i = r.getInt(0);
      double e = c.expected().get(i);
      double limit = c.tolerance() + c.rtol() * Math.abs(e);
      double g = r.getDouble(1);
      assertTrue(Math.abs(g - e) <= limit, () -> c.id() + "[" + i + "] " + call + ": got " + g + " expected " + e);
    }
  }

  /** The case's config as positional option literals (every option up to the last one it sets). */
  private static String options(LossSpec spec, ReferenceCase c) {
    List<String> args = new ArrayList<>();
    int last = -1;
    for (int i = 0; i < spec.functionArgs().size(); i++) {
      String name = spec.functionArgs().get(i);
      OptionSpec o = spec.option(name);
      Object v = c.config().has(name) ? JSON.convertValue(c.config().get(name), Object.class) : o.defaultValue();
      args.add(OptionArguments.literal(o.coerce(spec.className(), v)));
      if (c.config().has(name)) {
        last = i;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i <= last; i++) {
      sb.append(", ").append(args.get(i));
    }
    return sb.toString();
  }

  private static NdArray slice(NdArray batch, int i) {
    int[] shape = batch.shape();
    int[] rest = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    int size = NdArray.sizeOf(rest);
    return NdArray.of(java.util.Arrays.copyOfRange(batch.data(), i * size, (i + 1) * size), rest);
  }

  /** A row value with FLOAT elements for float32 cases. */
  private static Object typed(NdArray a, DataType element) {
    Object v = SparkRows.value(a);
    if (element != DataTypes.FloatType) {
      return v;
    }
    if (v instanceof Double) {
      return (float) (double) (Double) v;
    }
    if (v instanceof double[]) {
      return floats((double[]) v);
    }
    double[][] m = (double[][]) v;
    float[][] out = new float[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = floats(m[i]);
    }
    return out;
  }

  private static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
