package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.BinaryCrossentropy;
import org.lossagg.losses.StatePreamble;

/**
 * The typed aggregator's moved buffers carry the loss' preamble too, and its earlier buffers (written
 * as KerasLossAggregator.Buffer, before the rename) still read; the deprecated name still works.
 */
class KerasLossDatasetAggregatorStateTest {
  private static JsonNode saved() throws IOException {
    try (InputStream in = KerasLossDatasetAggregatorStateTest.class.getResourceAsStream("/state/legacy-aggregator-buffer.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static byte[] write(KerasLossDatasetAggregator.Buffer b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(b);
    }
    return bytes.toByteArray();
  }

  private static KerasLossDatasetAggregator.Buffer read(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (KerasLossDatasetAggregator.Buffer) in.readObject();
    }
  }

  private static KerasLossDatasetAggregator.Buffer reduced(KerasLossDatasetAggregator agg, JsonNode examples) {
    KerasLossDatasetAggregator.Buffer b = agg.zero();
    for (JsonNode e : examples) {
      b = agg.reduce(b, new PredictionRow(new ObjectMapper().convertValue(e.get("actual"), double[].class),
          new ObjectMapper().convertValue(e.get("predicted"), double[].class), e.get("weight").asDouble()));
    }
    return b;
  }

  @Test
  void earlierBuffersReadAndMergeWithTodays() throws Exception {
    JsonNode saved = saved();
    KerasLossDatasetAggregator agg = KerasLossDatasetAggregator.weighted(BinaryCrossentropy.builder().build());
    KerasLossDatasetAggregator.Buffer old = read(HexFormat.of().parseHex(saved.get("hex").asText()));
    assertEquals(saved.get("finish").asDouble(), agg.finish(old));
    KerasLossDatasetAggregator.Buffer today = read(write(reduced(agg, saved.get("examples"))));
    KerasLossDatasetAggregator.Buffer twice = agg.merge(reduced(agg, saved.get("examples")), reduced(agg, saved.get("examples")));
    assertEquals(agg.finish(twice), agg.finish(agg.merge(old, today)));
  }

  @Test
  void aBufferOfAnotherLossIsRefusedNamingBoth() throws Exception {
    JsonNode saved = saved();
    KerasLossDatasetAggregator plain = KerasLossDatasetAggregator.weighted(BinaryCrossentropy.builder().build());
    KerasLossDatasetAggregator smoothed = KerasLossDatasetAggregator.weighted(BinaryCrossentropy.builder().labelSmoothing(0.2).build());
    byte[] bytes = write(reduced(plain, saved.get("examples")));
    assertTrue(HexFormat.of().formatHex(bytes).contains("4c41014b"));
    KerasLossDatasetAggregator.Buffer moved = read(bytes);
    StatePreamble.MismatchException e = assertThrows(StatePreamble.MismatchException.class,
        () -> smoothed.merge(smoothed.zero(), moved));
    assertTrue(e.getMessage().startsWith("KerasLossDatasetAggregator computes {\"class_name\": \"BinaryCrossentropy\", \"config\": "
        + "{\"from_logits\": false, \"label_smoothing\": 0.2, \"axis\": -1, \"dtype\": \"float32\"}, \"keras_version\": \"3.15\"}, but the aggregation "
        + "state it was given holds state for {\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": false,"
        + " \"label_smoothing\": 0.0,"), e.getMessage());
    assertEquals(plain.finish(reduced(plain, saved.get("examples"))), plain.finish(read(bytes)));
  }

  @Test
  @SuppressWarnings("deprecation")
  void theDeprecatedNameIsTheSameAggregatorAndNamesItselfInErrors() throws Exception {
    JsonNode saved = saved();
    KerasLossAggregator old = KerasLossAggregator.weighted(BinaryCrossentropy.builder().build());
    KerasLossDatasetAggregator.Buffer legacy = read(HexFormat.of().parseHex(saved.get("hex").asText()));
    assertEquals(saved.get("finish").asDouble(), old.finish(legacy));
    assertEquals(saved.get("finish").asDouble(), old.finish(reduced(old, saved.get("examples"))));
    KerasLossAggregator smoothed = KerasLossAggregator.weighted(BinaryCrossentropy.builder().labelSmoothing(0.2).build());
    byte[] bytes = write(reduced(old, saved.get("examples")));
    StatePreamble.MismatchException e = assertThrows(StatePreamble.MismatchException.class,
        () -> smoothed.merge(smoothed.zero(), read(bytes)));
    assertTrue(e.getMessage().startsWith("KerasLossAggregator computes {\"class_name\": \"BinaryCrossentropy\""),
        e.getMessage());
  }
}
