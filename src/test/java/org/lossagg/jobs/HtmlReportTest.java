package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lossagg.jobs.EvaluationSummary.Bin;
import org.lossagg.jobs.EvaluationSummary.Histogram;
import org.lossagg.jobs.EvaluationSummary.LossEntry;
import org.lossagg.jobs.EvaluationSummary.SliceResult;

class HtmlReportTest {
  private static final String HOSTILE = "<b>\"O'Hare\" & co</b>";
  private static final String HOSTILE_ESCAPED = "&lt;b&gt;&quot;O&#39;Hare&quot; &amp; co&lt;/b&gt;";
  private static final Pattern SVG = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL);
  private static final Pattern BAR = Pattern.compile("<rect class=\"bar\"[^>]*? height=\"([0-9.]+)\"");

  private static final List<List<String>> SLICES = List.of(
      List.of("north", "consumer"), List.of("north", HOSTILE), List.of("south", "consumer"));
  private static final long[][] BCE_COUNTS = {{10, 5, 2, 0, 1}, {4, 4, 3, 2, 1}, {1, 2, 6, 3, 0}};
  private static final long[][] MSE_COUNTS = {{7, 1, 1, 1}, {3, 0, 0, 5}, {0, 0, 0, 0}};

  /** Consecutive octave bins from 2^first; {@code first} null: the MSE layout (-1 octave, zero, then positives). */
  private static Histogram histogram(double min, double max, long[] counts, long nonFinite, Integer first) {
    List<Bin> bins = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (first != null) {
        bins.add(new Bin(Math.scalb(1.0, first + i), Math.scalb(1.0, first + i + 1), counts[i]));
      } else if (i == 0) {
        bins.add(new Bin(-1.0, -0.5, counts[i]));
      } else if (i == 1) {
        bins.add(new Bin(0.0, 0.0, counts[i]));
      } else {
        bins.add(new Bin(Math.scalb(1.0, i - 2), Math.scalb(1.0, i - 1), counts[i]));
      }
    }
    return new Histogram(min, max, bins, nonFinite);
  }

  private static Map<String, Double> reductions(Double sobs, Double sum, Double mean, Double meanWeighted) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("sum_over_batch_size", sobs);
    m.put("sum", sum);
    m.put("mean", mean);
    m.put("mean_with_sample_weight", meanWeighted);
    return m;
  }

  /** 2 slice columns, 3 slices (one hostile), 3 losses: dice has no histogram, mse on south/consumer no value. */
  static EvaluationSummary sample() {
    List<LossEntry> losses = List.of(
        new LossEntry("bce_logits", "BinaryCrossentropy",
            "{\"module\": \"keras.losses\", \"class_name\": \"BinaryCrossentropy\", \"config\": "
                + "{\"name\": \"binary_crossentropy\", \"reduction\": \"sum_over_batch_size\", \"from_logits\": true}}",
            "label", "logit", "weight", "sum_over_batch_size", "float32"),
        new LossEntry("mse", "MeanSquaredError",
            "{\"module\": \"keras.losses\", \"class_name\": \"MeanSquaredError\", \"config\": "
                + "{\"name\": \"mean_squared_error\", \"reduction\": \"sum\"}}",
            "target", "prediction", null, "sum", "float64"),
        new LossEntry("dice", "Dice",
            "{\"class_name\": \"Dice\", \"config\": {\"name\": \"</code><script>x</script>\", \"axis\": null}}",
            "class_onehot", "class_probs", "weight", "sum_over_batch_size", "float32"));
    List<SliceResult> results = new ArrayList<>();
    for (int s = 0; s < SLICES.size(); s++) {
      List<String> slice = SLICES.get(s);
      double f = 1 + s / 10.0;
      results.add(new SliceResult(slice, "bce_logits", 18, 0, 0.6931471805599453 * f,
          reductions(0.6931471805599453 * f, 12.476649250079015 * f, 0.6931471805599453 * f, 0.7012 * f),
          histogram(0.01, 4.5 * f, BCE_COUNTS[s], 0, -7)));
      boolean noRows = s == 2;
      results.add(new SliceResult(slice, "mse", 18, noRows ? 18 : 0, noRows ? null : 12345678.9 * f,
          noRows ? reductions(null, null, null, null) : reductions(1.5e-5 * f, 12345678.9 * f, 1.5e-5 * f, 2.0 * f),
          histogram(-0.75, noRows ? 0 : 2.25 * f, MSE_COUNTS[s], s == 1 ? 3 : 0, null)));
      results.add(new SliceResult(slice, "dice", 18, 1, 0.25 * f,
          reductions(0.25 * f, 4.25 * f, 0.25 * f, 0.26 * f), null));
    }
    return new EvaluationSummary("lossagg demo", "generated: 18 rows, seed 42", List.of("region", "segment & tier"),
        losses, results, 54, 1.5, List.of("dice: Dice with axis=None has no per-row value; no histogram.",
            "a note with <angle brackets> & ampersand"));
  }

  private static List<String> svgs(String html) {
    List<String> found = new ArrayList<>();
    Matcher m = SVG.matcher(html);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  private static List<Double> barHeights(String svg) {
    List<Double> heights = new ArrayList<>();
    Matcher m = BAR.matcher(svg);
    while (m.find()) {
      heights.add(Double.parseDouble(m.group(1)));
    }
    return heights;
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  @Test
  void showsEverySliceValueLossNameAndNoteAndWritesTheSampleForTheRenderCheck() throws IOException {
    String html = HtmlReport.render(sample());
    assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
    for (String value : List.of("north", "south", "consumer", HOSTILE_ESCAPED, "region", "segment &amp; tier")) {
      assertTrue(html.contains("<td>" + value + "</td>") || html.contains("<th>" + value + "</th>"), value);
    }
    for (String loss : List.of("bce_logits", "mse", "dice", "BinaryCrossentropy", "MeanSquaredError", "Dice")) {
      assertTrue(html.contains(">" + loss), loss);
    }
    assertTrue(html.contains("<code>label</code>") && html.contains("<code>logit</code>"), "columns");
    assertTrue(html.contains("&quot;from_logits&quot;: true"), "the Keras config, escaped");
    assertTrue(html.contains("generated: 18 rows, seed 42") && html.contains("36 rows/s"), "input and throughput");
    assertTrue(html.contains("<li>a note with &lt;angle brackets&gt; &amp; ampersand</li>"), "notes");
    Path sample = Path.of("target", "report-sample.html");
    Files.createDirectories(sample.getParent());
    Files.writeString(sample, html, StandardCharsets.UTF_8);
  }

  @Test
  void drawsOneSvgPerHistogramAndOneBarPerBin() {
    String html = HtmlReport.render(sample());
    List<String> svgs = svgs(html);
    assertEquals(6, svgs.size(), "bce and mse on 3 slices; dice has no histogram");
    assertEquals(svgs.size(), occurrences(html, "<svg"));
    assertEquals(3 * 5 + 3 * 4, occurrences(html, "<rect"));
    for (int s = 0; s < 3; s++) {
      assertEquals(BCE_COUNTS[s].length, barHeights(svgs.get(s)).size(), "bce slice " + s);
      assertEquals(MSE_COUNTS[s].length, barHeights(svgs.get(3 + s)).size(), "mse slice " + s);
    }
    assertEquals(3, occurrences(html, ">" + HtmlReport.NO_PER_ROW_VALUE + "<"), "dice on each slice");
    assertEquals(1, occurrences(html, "+ 3 non-finite (NaN/inf) not drawn"), "mse on the hostile slice");
    assertEquals(1, occurrences(html, ">no finite values</text>"), "mse on south/consumer counted no row");
  }

  @Test
  void barHeightsAreProportionalToCountsWithTheFullestBinFillingThePlot() {
    List<String> svgs = svgs(HtmlReport.render(sample()));
    assertEquals(List.of(80.0, 40.0, 16.0, 0.0, 8.0), barHeights(svgs.get(0)), "bce counts 10, 5, 2, 0, 1");
    assertEquals(List.of(48.0, 0.0, 0.0, 80.0), barHeights(svgs.get(4)), "mse counts 3, 0, 0, 5");
    assertTrue(svgs.get(0).contains("<title>[0.0078125, 0.015625): 10 rows</title>"), svgs.get(0));
    assertTrue(svgs.get(0).contains("<title>[0.125, 0.25): 1 row</title>"), svgs.get(0));
    assertTrue(svgs.get(4).contains("<title>(-1, -0.5]: 3 rows</title>"), "negative bins closed toward zero");
    assertTrue(svgs.get(4).contains("<title>[0]: 0 rows</title>"), svgs.get(4));
    assertTrue(svgs.get(4).contains("<title>[2, 4): 5 rows</title>"), svgs.get(4));
    assertTrue(svgs.get(0).contains("18 finite rows in 5 bins (octaves)"), svgs.get(0));
  }

  @Test
  void nullValueShowsADashWithItsReason() {
    String html = HtmlReport.render(sample());
    assertEquals(1 + 1 + 4, occurrences(html, "<td class=\"num none\" title=\"no rows counted\">\u2014</td>"),
        "mse on south/consumer: overview, detail value and its four reductions");
  }

  @Test
  void escapesEverythingUserProvidedAndLinksNothingOutside() {
    String html = HtmlReport.render(sample());
    assertFalse(html.contains(HOSTILE), "raw hostile slice value");
    assertTrue(html.contains(HOSTILE_ESCAPED));
    assertTrue(html.contains("&lt;/code&gt;&lt;script&gt;x&lt;/script&gt;"), "config JSON escaped");
    for (String forbidden : List.of("http://", "https://", "<script", "<link", "<img", "<iframe", "url(", "@import")) {
      assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains(forbidden), forbidden);
    }
  }

  /** 8 slices (region x model_version) and 6 losses, the last without per-row values: the demo's size. */
  static EvaluationSummary large() {
    List<String> names = List.of("bce_logits", "bce_probs", "cce", "sparse_cce", "huber", "dice");
    List<LossEntry> losses = new ArrayList<>();
    for (String name : names) {
      losses.add(new LossEntry(name, "Loss" + name.length(), "{\"class_name\": \"" + name + "\"}", "y", "p",
          "weight", "sum_over_batch_size", "float32"));
    }
    List<SliceResult> results = new ArrayList<>();
    for (String region : List.of("east", "north", "south", "west")) {
      for (String version : List.of("v1", "v2")) {
        for (int l = 0; l < names.size(); l++) {
          long[] counts = new long[20];
          for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.round(1000 * Math.exp(-i * (0.2 + 0.05 * l)) * (1 + region.length() % 3 * 0.1));
          }
          double v = 0.3 + 0.1 * l + region.length() / 100.0 + (version.equals("v2") ? 0.01 : 0);
          results.add(new SliceResult(List.of(region, version), names.get(l), 125_000, 17, v,
              reductions(v, v * 124_983, v, v * 1.01),
              l == names.size() - 1 ? null : histogram(0.001, 3 + l, counts, l == 0 ? 2 : 0, -10)));
        }
      }
    }
    return new EvaluationSummary("lossagg demo", "generated: 1,000,000 rows, seed 42",
        List.of("region", "model_version"), losses, results, 1_000_000, 12.5, List.of());
  }

  @Test
  void staysOneFigurePerSliceAndLossAtTheDemosSize() throws IOException {
    String html = HtmlReport.render(large());
    assertEquals(8 * 5, svgs(html).size(), "5 losses with histograms on 8 slices");
    assertEquals(8 * 5 * 20, occurrences(html, "<rect"));
    assertEquals(8 * 6, occurrences(html, "<figure"));
    assertEquals(2 + 6, occurrences(html, "<table"), "the losses, the overview and one detail table per loss");
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "report-sample-large.html"), html, StandardCharsets.UTF_8);
  }

  @Test
  void rendersTheSameSummaryToTheSameText() {
    assertEquals(HtmlReport.render(sample()), HtmlReport.render(sample()));
  }

  @Test
  void formatsValuesWithUpToSevenSignificantDigits() {
    assertEquals("0.6931472", ReportText.number(0.6931471805599453));
    assertEquals("0.1", ReportText.number((double) 0.1f));
    assertEquals("100", ReportText.number(100.0));
    assertEquals("1234567", ReportText.number(1234567.0));
    assertEquals("1.234568e+07", ReportText.number(12345678.9));
    assertEquals("0.00015", ReportText.number(1.5e-4));
    assertEquals("1.5e-05", ReportText.number(1.5e-5));
    assertEquals("-2.5", ReportText.number(-2.5));
    assertEquals("0", ReportText.number(-0.0));
    assertEquals("nan", ReportText.number(Double.NaN));
    assertEquals("-inf", ReportText.number(Double.NEGATIVE_INFINITY));
  }

  @Test
  void rejectsAResultWhoseLossIsNotInTheSummary() {
    EvaluationSummary s = sample();
    List<SliceResult> results = new ArrayList<>(s.results());
    results.add(new SliceResult(List.of("east", "smb"), "huber", 1, 0, 1.0, Map.of("sum", 1.0), null));
    EvaluationSummary bad = new EvaluationSummary(s.title(), s.input(), s.sliceColumns(), s.losses(), results,
        s.totalRows(), s.elapsedSeconds(), s.notes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HtmlReport.render(bad));
    assertTrue(e.getMessage().contains("'huber'"), e.getMessage());
  }
}
