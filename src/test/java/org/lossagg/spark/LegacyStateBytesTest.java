package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The buffers lossagg's aggregates wrote at fbe65dc ({@code state/legacy-buffers.json}, from
 * {@link LegacyStateCases}) are read back with the value they had.
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
      assertEquals(n.get("value").asText(), LegacyStateBytesGenerator.valueText(f.eval(state)), c.name());
    }
  }

  @Test
  void todaysBuffersAreTheSavedBytes() throws IOException {
    Map<String, JsonNode> saved = saved();
    for (LegacyStateCases.Case c : LegacyStateCases.all()) {
      LossAggregateFunction<Object> f = c.aggregate();
      assertEquals(saved.get(c.name()).get("hex").asText(), HexFormat.of().formatHex(f.serialize(c.state())), c.name());
    }
  }
}
