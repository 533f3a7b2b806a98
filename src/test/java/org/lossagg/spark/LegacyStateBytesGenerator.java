package org.lossagg.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code src/test/resources/state/legacy-buffers.json}: each {@link LegacyStateCases} case's
 * serialized buffer (hex) and evaluated value (Java's round-trip text of each value), as the code of
 * this commit writes them. Run once, before buffers gained their preamble; kept in history only.
 */
public final class LegacyStateBytesGenerator {
  private LegacyStateBytesGenerator() {}

  public static void main(String[] args) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (LegacyStateCases.Case c : LegacyStateCases.all()) {
      LossAggregateFunction<Object> f = c.aggregate();
      Object state = c.state();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("hex", HexFormat.of().formatHex(f.serialize(state)));
      m.put("value", LegacyStateBytesGenerator.valueText(f.eval(state)));
      out.add(m);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(new File(args[0]), out);
  }

  static String valueText(Object v) {
    if (v instanceof org.apache.spark.sql.catalyst.InternalRow r) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < r.numFields(); i++) {
        Object x = r.isNullAt(i) ? null : r.get(i, null);
        fields.add(x == null ? "null" : x.getClass().getSimpleName() + ":" + x);
      }
      return String.join(", ", fields);
    }
    return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
  }
}
