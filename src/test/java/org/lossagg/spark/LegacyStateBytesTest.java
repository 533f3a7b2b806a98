package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The buffers lossagg's aggregates wrote at fbe65dc, before buffers had a preamble
 * ({@code state/legacy-buffers.json}, from {@link LegacyStateCases}), are read back with the value
 * they had, merge with today's states, and today's buffers are the same body behind the preamble.
 */
class LegacyStateBytesTest {
  static Map<String, JsonNode> saved() throws IOException {
    try (InputStream in = LegacyStateBytesTest.class.getResourceAsStream("/state/legacy-buffers.json")) {
      Map<String, JsonNode> out = new HashMap<>();
      for (JsonNode n : new ObjectMapper().readTree(in)) {
        out.put(n.get("name").asText(), n);
      }
      return out;
    }
  }

  @Test
  void savedBuffersEvaluateToTheirSavedValues() throws IOException {
    Map<String, JsonNode> saved = saved();
    assertEquals(LegacyStateCases.all().size(), saved.size());
    for (LegacyStateCases.Case c : LegacyStateCases.all()) {
      JsonNode n = saved.get(c.name());
      LossAggregateFunction<Object> f = c.aggregate();
      Object state = f.deserialize(HexFormat.of().parseHex(n.get("hex").asText()));
      assertEquals(n.get("value").asText(), valueText(f.eval(state)), c.name());
    }
  }

  /**
   * Today's buffers start with the preamble; their body is no longer the saved layout (states now keep
   * the row shape, issue 15), but they hold the same value.
   */
  @Test
  void todaysBuffersArePreambledAndHoldTheSavedValues() throws IOException {
    Map<String, JsonNode> saved = saved();
    for (LegacyStateCases.Case c : LegacyStateCases.all()) {
      LossAggregateFunction<Object> f = c.aggregate();
      byte[] today = f.serialize(c.state());
      String hex = HexFormat.of().formatHex(today);
      assertTrue(hex.startsWith("4c4101"), c.name() + ": " + hex);
      assertEquals(saved.get(c.name()).get("value").asText(), valueText(f.eval(f.deserialize(today))), c.name());
    }
  }

  /** An old checkpoint's state merged with new rows: the value of all rows, as if written today. */
  @Test
  void savedBuffersMergeWithTodaysStates() throws IOException {
    Map<String, JsonNode> saved = saved();
    for (LegacyStateCases.Case c : LegacyStateCases.all()) {
      LossAggregateFunction<Object> f = c.aggregate();
      Object old = f.deserialize(HexFormat.of().parseHex(saved.get(c.name()).get("hex").asText()));
      Object today = f.deserialize(f.serialize(c.state()));
      Object both = f.merge(old, today);
      Object direct = f.merge(c.state(), c.state());
      assertEquals(HexFormat.of().formatHex(f.serialize(direct)), HexFormat.of().formatHex(f.serialize(both)), c.name());
    }
  }

  /** Each value of an eval result as Java's round-trip text with its class ("Float:0.20406736"). */
  static String valueText(Object v) {
    if (v instanceof org.apache.spark.sql.catalyst.InternalRow r) {
      java.util.List<String> fields = new java.util.ArrayList<>();
      for (int i = 0; i < r.numFields(); i++) {
        Object x = r.isNullAt(i) ? null : r.get(i, null);
        fields.add(x == null ? "null" : x.getClass().getSimpleName() + ":" + x);
      }
      return String.join(", ", fields);
    }
    return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
  }
}
