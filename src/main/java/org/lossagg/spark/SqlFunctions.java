package org.lossagg.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every SQL function lossagg registers: the per-row loss functions and the aggregates. */
public final class SqlFunctions {
  private static final List<SqlFunction> ALL = build();

  private SqlFunctions() {}

  public static List<SqlFunction> all() {
    return ALL;
  }

  private static List<SqlFunction> build() {
    List<SqlFunction> all = new ArrayList<>();
    all.addAll(RowLossFunctions.all());
    all.addAll(AggregateSqlFunctions.all());
    return Collections.unmodifiableList(all);
  }
}
