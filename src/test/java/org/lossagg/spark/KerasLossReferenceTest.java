package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.ReferenceCase;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/**
 * The shared reference vectors (real Keras values) through {@code keras_loss} in SQL: every
 * class-form case a table can hold — a batch axis, no mask, no scalar weight, per-row or per-element
 * weights whose meaning does not depend on the batch size — becomes a table of its rows, and
 * {@code keras_loss(config, y_true, y_pred [, w])} equals {@code Loss.call} on the batch bit for bit,
 * and Keras' value within the case's tolerance. Cases of one column layout share a table and a
 * query ({@code FILTER (WHERE case_id = k)} per case).
 */
class KerasLossReferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<ReferenceCase> tableCases() {
    return ReferenceCase.load().stream()
        .filter(c -> !c.functional() && !c.keras2() && LossCatalog.find(c.loss()).isPresent() && c.mask() == null)
        .filter(c -> c.yPred().rank() >= 2 && c.yTrue().rank() >= 1 && c.yTrue().dim(0) == c.yPred().dim(0))
        .filter(c -> loss(c).reduction() != Reduction.NONE)
        .filter(c -> c.sampleWeight() == null
            || (c.sampleWeight().rank() >= 1 && c.sampleWeight().dim(0) == c.yPred().dim(0) && weightsArePerRow(c)))
        .collect(Collectors.toList());
  }

  /**
   * Keras 3 broadcasts (B,) weights against (B, T) per-sample values along T, so such weights mean
   * something else in a batch of one; every other weight shape keeps its per-row meaning.
   */
  private static boolean weightsArePerRow(ReferenceCase c) {
    if (c.sampleWeight().rank() != 1) {
      return true;
    }
    Loss none = loss(c).options().toBuilder().reduction(Reduction.NONE).build().create();
    return none.call(c.yTrue(), c.yPred()).rank() <= 1;
  }

  static String configJson(ReferenceCase c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("class_name", c.loss());
    n.set("config", c.config());
    if (c.kerasVersion() != null) {
      n.put("keras_version", c.kerasVersion());
    }
    return n.toString();
  }

  static Loss loss(ReferenceCase c) {
    return KerasLossConfig.fromJson(configJson(c));
  }

  @Test
  void everyTableCaseThroughSqlEqualsTheClassFormAndKeras() {
    List<ReferenceCase> cases = tableCases();
    Map<String, List<ReferenceCase>> byLayout = new LinkedHashMap<>();
    for (ReferenceCase c : cases) {
      byLayout.computeIfAbsent(layout(c), k -> new ArrayList<>()).add(c);
    }
    int checked = 0;
    for (List<ReferenceCase> group : byLayout.values()) {
      checked += checkLayout(group);
    }
    assertEquals(cases.size(), checked);
    assertTrue(cases.size() >= 130, "expected most class-form cases to be table cases, got " + cases.size());
  }

  @Test
  void theTableCasesCoverEveryCatalogueLoss() {
    Set<String> covered = tableCases().stream().map(ReferenceCase::loss).collect(Collectors.toCollection(TreeSet::new));
    Set<String> all = LossCatalog.all().stream().map(LossSpec::className).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(all, covered);
  }

  private static String layout(ReferenceCase c) {
    return (c.yTrue().rank() - 1) + "/" + (c.yPred().rank() - 1) + "/"
        + (c.sampleWeight() == null ? "-" : String.valueOf(c.sampleWeight().rank() - 1));
  }

  private static int checkLayout(List<ReferenceCase> group) {
    ReferenceCase first = group.get(0);
    boolean weighted = first.sampleWeight() != null;
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField("case_id", DataTypes.IntegerType, false),
        DataTypes.createStructField("y_true", SparkTables.doubleType(first.yTrue().rank() - 1), false),
        DataTypes.createStructField("y_pred", SparkTables.doubleType(first.yPred().rank() - 1), false)));
    if (weighted) {
      fields.add(DataTypes.createStructField("w", SparkTables.doubleType(first.sampleWeight().rank() - 1), false));
    }
    List<Row> rows = new ArrayList<>();
    List<String> aggs = new ArrayList<>();
    for (int k = 0; k < group.size(); k++) {
      ReferenceCase c = group.get(k);
      for (int r = 0; r < c.yPred().dim(0); r++) {
        List<Object> v = new ArrayList<>(List.of(k, SparkTables.slice(c.yTrue(), r), SparkTables.slice(c.yPred(), r)));
        if (weighted) {
          v.add(SparkTables.slice(c.sampleWeight(), r));
        }
        rows.add(RowFactory.create(v.toArray()));
      }
      aggs.add("keras_loss(" + SparkTables.quote(configJson(c)) + ", y_true, y_pred" + (weighted ? ", w" : "")
          + ") FILTER (WHERE case_id = " + k + ")");
    }
    SparkTables.frame(new StructType(fields.toArray(new StructField[0])), rows).createOrReplaceTempView("ref_cases");
    Row got = SparkTestSession.get().sql("SELECT " + String.join(", ", aggs) + " FROM ref_cases").first();
    for (int k = 0; k < group.size(); k++) {
      ReferenceCase c = group.get(k);
      NdArray whole = loss(c).call(c.yTrue(), c.yPred(), c.sampleWeight());
      double sql = SparkTables.value(got, k);
      assertEquals(Double.doubleToLongBits(whole.item()), Double.doubleToLongBits(sql),
          c.id() + ": keras_loss " + sql + " vs Loss.call on the batch " + whole.item());
      double expected = c.expected().item();
      double limit = c.tolerance() + c.rtol() * Math.abs(expected);
      assertTrue(Math.abs(sql - expected) <= limit, c.id() + ": keras_loss " + sql + " vs Keras " + expected);
    }
    return group.size();
  }
}
