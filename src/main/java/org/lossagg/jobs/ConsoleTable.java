package org.lossagg.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lossagg.jobs.EvaluationSummary.LossEntry;
import org.lossagg.jobs.EvaluationSummary.SliceResult;

/**
 * The console view of a summary: one line per slice, its row count, and each loss' value under its
 * configured reduction, in aligned columns.
 */
final class ConsoleTable {
  private ConsoleTable() {}

  /** The table, at most {@code maxSlices} slices (a last line says how many more there are). */
  static String render(EvaluationSummary s, int maxSlices) {
    List<String> header = new ArrayList<>(s.sliceColumns());
    header.add("rows");
    for (LossEntry e : s.losses()) {
      header.add(e.name());
    }
    Map<List<String>, List<SliceResult>> bySlice = new LinkedHashMap<>();
    for (SliceResult r : s.results()) {
      bySlice.computeIfAbsent(r.sliceValues(), k -> new ArrayList<>()).add(r);
    }
    List<List<String>> lines = new ArrayList<>();
    for (Map.Entry<List<String>, List<SliceResult>> e : bySlice.entrySet()) {
      if (lines.size() == maxSlices) {
        break;
      }
      List<String> line = new ArrayList<>(e.getKey());
      line.add(String.format("%,d", e.getValue().get(0).rows()));
      for (int i = 0; i < s.losses().size(); i++) {
        SliceResult r = e.getValue().get(i);
        line.add(new SummaryTable.Num(r.value(), s.losses().get(i).dtype()).text());
      }
      lines.add(line);
    }
    int[] width = new int[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      for (List<String> l : lines) {
        width[c] = Math.max(width[c], l.get(c).isEmpty() ? 1 : l.get(c).length());
      }
    }
    int slices = s.sliceColumns().size();
    StringBuilder b = new StringBuilder();
    appendLine(b, header, width, slices);
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    appendLine(b, rule, width, slices);
    for (List<String> l : lines) {
      List<String> shown = l.stream().map(v -> v.isEmpty() ? "-" : v).toList();
      appendLine(b, shown, width, slices);
    }
    if (bySlice.size() > lines.size()) {
      b.append("... ").append(bySlice.size() - lines.size()).append(" more slices in the summary files\n");
    }
    return b.toString();
  }

  private static void appendLine(StringBuilder b, List<String> cells, int[] width, int leftAligned) {
    for (int c = 0; c < cells.size(); c++) {
      String v = cells.get(c);
      String pad = " ".repeat(width[c] - v.length());
      b.append(c == 0 ? "" : "  ").append(c < leftAligned ? v + pad : pad + v);
    }
    b.append('\n');
  }
}
