package org.lossagg.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Throughput against rows as an SVG: one panel per workload, both axes logarithmic (rows from
 * 10^3 to 10^9, Mrows/s over the decades the run covers), one line per contender.
 */
final class ThroughputPlot {
  private static final int PANEL_W = 420;
  private static final int PANEL_H = 300;
  private static final int COLS = 3;
  private static final int LEFT = 60;
  private static final int TOP = 40;
  private static final int RIGHT = 20;
  private static final int BOTTOM = 45;

  private ThroughputPlot() {}

  static String svg(List<Measurement> ms, List<String> workloads, Map<String, String> titles) {
    int rowsOfPanels = (workloads.size() + COLS - 1) / COLS;
    int legendH = 40;
    int width = COLS * PANEL_W;
    int height = legendH + rowsOfPanels * PANEL_H;
    double minRate = ms.stream().mapToDouble(Measurement::mrowsPerSecond).min().orElse(0.1);
    double maxRate = ms.stream().mapToDouble(Measurement::mrowsPerSecond).max().orElse(1000);
    int yLo = (int) Math.floor(Math.log10(minRate));
    int yHi = (int) Math.ceil(Math.log10(maxRate));
    if (yHi == yLo) {
      yHi++;
    }
    long minRows = ms.stream().mapToLong(Measurement::rows).min().orElse(1000);
    long maxRows = ms.stream().mapToLong(Measurement::rows).max().orElse(1_000_000_000L);
    int xLo = (int) Math.floor(Math.log10(minRows));
    int xHi = Math.max(xLo + 1, (int) Math.ceil(Math.log10(maxRows)));

    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    legend(s);
    for (int k = 0; k < workloads.size(); k++) {
      int ox = (k % COLS) * PANEL_W;
      int oy = legendH + (k / COLS) * PANEL_H;
      String w = workloads.get(k);
      panel(s, ms.stream().filter(m -> m.workload().equals(w)).toList(), titles.getOrDefault(w, w), w,
          ox, oy, xLo, xHi, yLo, yHi);
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static void legend(StringBuilder s) {
    int x = 10;
    for (Peer p : Peer.values()) {
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"20\" stroke=\"%s\" stroke-width=\"3\"/>"
          + "<text x=\"%d\" y=\"24\">%s</text>%n", x, x + 24, p.color, x + 30, esc(p.label)));
      x += 40 + 7 * p.label.length();
    }
  }

  private static void panel(StringBuilder s, List<Measurement> ms, String title, String name, int ox, int oy,
      int xLo, int xHi, int yLo, int yHi) {
    int pw = PANEL_W - LEFT - RIGHT;
    int ph = PANEL_H - TOP - BOTTOM;
    int x0 = ox + LEFT;
    int y0 = oy + TOP;
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, oy + 16, esc(name)));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"9\">%s</text>%n", x0, oy + 28, esc(title)));
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
        x0, y0, pw, ph));
    for (int e = xLo; e <= xHi; e++) {
      double x = x0 + pw * (e - xLo) / (double) (xHi - xLo);
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">10^%d</text>%n", x, y0, x, y0 + ph, x, y0 + ph + 14, e));
    }
    for (int e = yLo; e <= yHi; e++) {
      double y = y0 + ph - ph * (e - yLo) / (double) (yHi - yLo);
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0, y, x0 + pw, y, x0 - 4, y + 4,
          e >= 0 ? String.valueOf((long) Math.pow(10, e)) : String.valueOf(Math.pow(10, e))));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">rows</text>%n",
        x0 + pw / 2, y0 + ph + 30));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">"
        + "Mrows/s</text>%n", ox + 14, y0 + ph / 2, ox + 14, y0 + ph / 2));
    Map<Peer, TreeMap<Long, Double>> lines = new EnumMap<>(Peer.class);
    for (Measurement m : ms) {
      lines.computeIfAbsent(m.peer(), p -> new TreeMap<>()).put(m.rows(), m.mrowsPerSecond());
    }
    for (Map.Entry<Peer, TreeMap<Long, Double>> line : lines.entrySet()) {
      List<String> pts = new ArrayList<>();
      for (Map.Entry<Long, Double> pt : line.getValue().entrySet()) {
        double x = x0 + pw * (Math.log10(pt.getKey()) - xLo) / (xHi - xLo);
        double y = y0 + ph - ph * (Math.log10(pt.getValue()) - yLo) / (yHi - yLo);
        pts.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
            line.getKey().color));
      }
      s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          String.join(" ", pts), line.getKey().color));
    }
  }

  private static String esc(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
