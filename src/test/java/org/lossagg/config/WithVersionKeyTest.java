package org.lossagg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A saved model's losses gain its keras_version beside their class, unless they name one. */
class WithVersionKeyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String with(String json, String version) throws Exception {
    return KerasLossConfig.withVersionKey(JSON.readTree(json), version);
  }

  @Test
  void aFunctionNameBecomesAClassWithTheVersion() throws Exception {
    assertEquals("{\"class_name\":\"mse\",\"keras_version\":\"3.9.2\"}", with("\"mse\"", "3.9.2"));
  }

  @Test
  void aSerializedLossKeepsItsKeysAndGainsTheVersionLast() throws Exception {
    assertEquals("{\"class_name\":\"Huber\",\"config\":{\"delta\":0.5},\"keras_version\":\"2.15\"}",
        with("{\"class_name\": \"Huber\", \"config\": {\"delta\": 0.5}}", "2.15"));
  }

  @Test
  void aLossNamingItsOwnVersionKeepsIt() throws Exception {
    assertEquals("{\"class_name\":\"Huber\",\"keras_version\":\"3.16\"}",
        with("{\"class_name\": \"Huber\", \"keras_version\": \"3.16\"}", "2.15"));
  }
}
