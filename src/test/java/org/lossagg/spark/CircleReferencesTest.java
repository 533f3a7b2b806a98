package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.Circle;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * {@code loss_circle(y_true, y_pred, ref_labels, ref_embeddings, false[, gamma, margin])} is
 * {@link Circle#function} on the row as a batch of one against its reference rows, in float64 for
 * DOUBLE embeddings and float32 for FLOAT ones; rows whose loss Keras masks (0) are NULL.
 */
class CircleReferencesTest {
  @Test
  void eachRowAgainstItsReferenceRows() {
    Random rnd = new Random(7);
    List<Object[]> rows = new ArrayList<>();
    List<NdArray[]> inputs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int refs = 1 + i % 5;
      NdArray label = NdArray.vector(rnd.nextInt(3));
      NdArray emb = RowSamples.unitVector(rnd, 4).reshape(1, 4);
      NdArray refLabels = RowSamples.labels(rnd, refs, 0, 3);
      double[] re = new double[refs * 4];
      for (int r = 0; r < refs; r++) {
        System.arraycopy(RowSamples.unitVector(rnd, 4).data(), 0, re, r * 4, 4);
      }
      NdArray refEmbeddings = NdArray.of(re, refs, 4);
      inputs.add(new NdArray[] {label, emb, refLabels, refEmbeddings});
      rows.add(new Object[] {i, (int) label.item(), SparkRows.value(emb.reshape(4)), SparkRows.ints(refLabels),
          SparkRows.value(refEmbeddings)});
    }
    SparkRows.table(rows, new String[] {"id", "label", "emb", "rl", "re"}, new DataType[] {DataTypes.IntegerType,
        DataTypes.IntegerType, SparkRows.doubles(1), SparkRows.nested(DataTypes.IntegerType, 1), SparkRows.doubles(2)})
        .createOrReplaceTempView("circle_refs");
    List<Row> got = SparkRows.spark().sql("SELECT id, loss_circle(label, emb, rl, re, false), "
        + "loss_circle(label, CAST(emb AS ARRAY<FLOAT>), rl, CAST(re AS ARRAY<ARRAY<FLOAT>>), false, 16, 0.25) "
        + "FROM circle_refs").collectAsList();
    Circle defaults = Circle.builder().removeDiagonal(false).build();
    Circle custom = Circle.builder().removeDiagonal(false).gamma(16).margin(0.25).build();
    int nulls = 0;
    for (Row r : got) {
      NdArray[] in = inputs.get(r.getInt(0));
      Object d = RowSamples.expected(defaults.function(in[0], in[1], in[2], in[3], DType.FLOAT64), 0);
      Object f = RowSamples.expected(custom.function(in[0], in[1].map(x -> (float) x), in[2], in[3].map(x -> (float) x),
          DType.FLOAT32), 0);
      assertEquals(d, r.get(1), "row " + r.getInt(0));
      assertEquals(f, r.get(2), "row " + r.getInt(0));
      nulls += d == null ? 1 : 0;
    }
    assertEquals(8, got.size());
    assertTrue(nulls < 8, "some rows have a loss");
  }
}
