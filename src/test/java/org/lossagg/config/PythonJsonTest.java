package org.lossagg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PythonJson} writes what Python's json.dumps writes. */
class PythonJsonTest {

  @Test
  void floatsPrintAsPythonRepr() {
    // Printed by CPython 3.11 json.dumps.
    assertEquals("0.0", PythonJson.floatRepr(0.0));
    assertEquals("-0.0", PythonJson.floatRepr(-0.0));
    assertEquals("1e-07", PythonJson.floatRepr(1e-7));
    assertEquals("1e-05", PythonJson.floatRepr(1e-5));
    assertEquals("0.0001", PythonJson.floatRepr(1e-4));
    assertEquals("1e+16", PythonJson.floatRepr(1e16));
    assertEquals("1000000000000000.0", PythonJson.floatRepr(1e15));
    assertEquals("1.2345678901234568e+17", PythonJson.floatRepr(123456789012345678.0));
    assertEquals("0.30000000000000004", PythonJson.floatRepr(0.1 + 0.2));
    assertEquals("80.0", PythonJson.floatRepr(80.0));
    assertEquals("2.5", PythonJson.floatRepr(2.5));
    assertEquals("0.10000000149011612", PythonJson.floatRepr((float) 0.1));
    assertEquals("Infinity", PythonJson.floatRepr(Double.POSITIVE_INFINITY));
    assertEquals("-Infinity", PythonJson.floatRepr(Double.NEGATIVE_INFINITY));
    assertEquals("NaN", PythonJson.floatRepr(Double.NaN));
  }

  /** 982 doubles (every 7th power of two, float32 values, random bit patterns) against CPython's output. */
  @Test
  void floatsMatchCPythonOnAThousandValues() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int n = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        PythonJsonTest.class.getResourceAsStream("/python-float-repr.txt"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] parts = line.split(" ");
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
        String got = PythonJson.floatRepr(d);
        n++;
        if (!got.equals(parts[1])) {
          mismatches.add(parts[0] + ": got " + got + ", Python " + parts[1]);
        }
      }
    }
    assertTrue(n > 900, "read " + n + " values");
    assertEquals(List.of(), mismatches);
  }

  @Test
  void dumpsUsesPythonSeparatorsAndEscapes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "é\u007f\n\"q\"\\");
    m.put("reduction", null);
    m.put("from_logits", true);
    m.put("axis", -1);
    m.put("axes", new int[] {1, 2, 3});
    m.put("alpha", new double[] {0.25, 1.0});
    m.put("list", Arrays.asList(1, 0.5, "x", null));
    m.put("empty", Map.of());
    assertEquals("{\"name\": \"\\u00e9\\u007f\\n\\\"q\\\"\\\\\", \"reduction\": null, \"from_logits\": true,"
        + " \"axis\": -1, \"axes\": [1, 2, 3], \"alpha\": [0.25, 1.0], \"list\": [1, 0.5, \"x\", null], \"empty\": {}}",
        PythonJson.dumps(m));
  }

  @Test
  void nonBmpCharactersAreEscapedAsSurrogatePairs() {
    // json.dumps("\U0001F600") == '"\\ud83d\\ude00"'
    assertEquals("\"\\ud83d\\ude00\"", PythonJson.dumps("\uD83D\uDE00"));
  }
}
