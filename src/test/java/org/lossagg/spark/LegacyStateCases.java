package org.lossagg.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Aggregation buffers of every kind lossagg's Spark aggregates serialize, built from fixed rows
 * outside a query (bound references over generic rows). {@code state/legacy-buffers.json} holds the
 * bytes the aggregates wrote for these cases before buffers had a preamble (lossagg at fbe65dc),
 * with the values they evaluated to (written by LegacyStateBytesGenerator, in the commit that added
 * the file); {@code LegacyStateBytesTest} reads them with today's code.
 */
final class LegacyStateCases {
  private LegacyStateCases() {}

  static final DataType D = DataTypes.DoubleType;
  static final DataType VEC = DataTypes.createArrayType(DataTypes.DoubleType, true);

  /** One buffer: the aggregate (over columns of {@code types}) and the rows it folded in. */
  record Case(String name, String function, String config, boolean keras2, String reduction, DataType[] types,
      List<Object[]> rows) {
    LossAggregateFunction<Object> aggregate() {
      Expression[] cols = new Expression[types.length];
      for (int i = 0; i < types.length; i++) {
        cols[i] = new BoundReference(i, types[i], true);
      }
      LossAggregateFunction<?> f = switch (function) {
        case "keras_loss" -> KerasLossAggregate.create(config, keras2, cols[0], cols[1], cols.length > 2 ? cols[2] : null);
        case "keras_loss_reductions" ->
            KerasLossReductions.create(config, keras2, cols[0], cols[1], cols.length > 2 ? cols[2] : null);
        case "loss_reduce" -> LossReduceAggregate.create(cols[0], cols.length > 1 ? cols[1] : null, reduction);
        case "loss_summary" -> LossSummaryAggregate.create(cols[0], cols.length > 1 ? cols[1] : null);
        default -> throw new IllegalArgumentException(function);
      };
      @SuppressWarnings("unchecked")
      LossAggregateFunction<Object> typed = (LossAggregateFunction<Object>) f;
      return typed;
    }

    /** The buffer after adding every row. */
    Object state() {
      LossAggregateFunction<Object> f = aggregate();
      Object s = f.createAggregationBuffer();
      for (Object[] r : rows) {
        s = f.update(s, row(r));
      }
      return s;
    }
  }

  /** A row of Doubles, double[] (an ARRAY&lt;DOUBLE&gt;; NaN stands for a NULL element) and nulls. */
  static InternalRow row(Object[] values) {
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof double[] a) {
        Object[] boxed = new Object[a.length];
        for (int j = 0; j < a.length; j++) {
          boxed[j] = Double.isNaN(a[j]) ? null : a[j];
        }
        out[i] = new GenericArrayData(boxed);
      } else {
        out[i] = values[i];
      }
    }
    return new GenericInternalRow(out);
  }

  private static Object[] r(Object... values) {
    return values;
  }

  private static double[] v(double... values) {
    return values;
  }

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("bce_float32_numbers_weighted", "keras_loss", "binary_crossentropy", false, null,
        new DataType[] {D, D, D}, List.of(r(0.0, 0.2, 1.0), r(1.0, 0.7, 0.5), r(null, 0.3, 1.0), r(1.0, 0.9, 2.0))));
    c.add(new Case("bce_float64_logits_arrays", "keras_loss",
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true, \"dtype\": \"float64\"}}", false, null,
        new DataType[] {VEC, VEC}, List.of(r(v(0, 1), v(-1.5, 2.25)), r(v(1, 1), v(0.5, -3.0)), r(v(0, 0), null))));
    c.add(new Case("cce_logits_vector_rows", "keras_loss",
        "{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"from_logits\": true}}", false, null,
        new DataType[] {VEC, VEC, D}, List.of(r(v(0, 1, 0), v(0.1, 2.0, -1.0), 1.0), r(v(1, 0, 0), v(3.0, 0.5, 0.25), 0.25))));
    c.add(new Case("bce_label_smoothing_reductions", "keras_loss_reductions",
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\": 0.2}}", false, null,
        new DataType[] {D, D}, List.of(r(0.0, 0.1), r(1.0, 0.8), r(1.0, null))));
    c.add(new Case("hinge_label_decision", "keras_loss", "hinge", false, null,
        new DataType[] {VEC, VEC}, List.of(r(v(0, 1), v(0.3, -0.2)), r(v(1, 0), v(0.9, 0.1)))));
    c.add(new Case("dice_axis_none", "keras_loss", "dice", false, null,
        new DataType[] {VEC, VEC}, List.of(r(v(1, 0, 1), v(0.9, 0.2, 0.6)), r(v(0, 1, 1), v(0.1, 0.7, 0.8)))));
    c.add(new Case("circle_group", "keras_loss", "circle", false, null,
        new DataType[] {D, VEC}, List.of(r(0.0, v(0.6, 0.8)), r(0.0, v(0.8, 0.6)), r(1.0, v(-0.6, 0.8)))));
    c.add(new Case("mse_keras2", "keras_loss", "mse", true, null,
        new DataType[] {D, D}, List.of(r(1.0, 1.5), r(-2.0, 0.25))));
    c.add(new Case("loss_reduce_weighted_mean", "loss_reduce", null, false, "mean_with_sample_weight",
        new DataType[] {D, D}, List.of(r(0.5, 2.0), r(1.25, 0.5), r(null, 1.0))));
    c.add(new Case("loss_summary_masked_arrays", "loss_summary", null, false, null,
        new DataType[] {VEC}, List.of(r(v(0.5, Double.NaN, 2.0)), r(v(1.0, 3.0, 0.25)))));
    return c;
  }
}
