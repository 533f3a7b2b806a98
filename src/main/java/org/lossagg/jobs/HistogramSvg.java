package org.lossagg.jobs;

import static org.lossagg.jobs.ReportText.coordinate;
import static org.lossagg.jobs.ReportText.count;
import static org.lossagg.jobs.ReportText.escape;
import static org.lossagg.jobs.ReportText.number;

import java.util.List;
import org.lossagg.jobs.EvaluationSummary.Bin;
import org.lossagg.jobs.EvaluationSummary.Histogram;

/**
 * Draws one {@link Histogram} as a small inline SVG: one {@code <rect class="bar">} per bin, all of
 * one width (the bins are octaves, so the axis is logarithmic on each side of zero), its height
 * proportional to the bin's count (the fullest bin fills the plot), a {@code <title>} tooltip per bin
 * with its interval, and the smallest and largest finite value under the axis.
 */
final class HistogramSvg {
  static final int WIDTH = 240;
  static final int HEIGHT = 120;
  static final double PLOT_LEFT = 6;
  static final double PLOT_TOP = 16;
  static final double PLOT_WIDTH = WIDTH - 2 * PLOT_LEFT;
  /** The height of a bar whose bin holds the most rows. */
  static final double PLOT_HEIGHT = 80;

  private HistogramSvg() {}

  /** The {@code <svg>} element; {@code label} names the slice and loss for the tooltip. */
  static String draw(Histogram h, String label) {
    List<Bin> bins = h.bins();
    long finite = 0;
    long fullest = 0;
    for (Bin bin : bins) {
      finite += bin.count();
      fullest = Math.max(fullest, bin.count());
    }
    double baseline = PLOT_TOP + PLOT_HEIGHT;
    StringBuilder b = new StringBuilder(256 + 96 * bins.size());
    b.append("<svg class=\"hist\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\">");
    b.append("<title>").append(escape(label)).append(": ").append(count(finite)).append(" finite rows in ")
        .append(bins.size()).append(bins.size() == 1 ? " bin" : " bins").append(" (octaves)</title>");
    b.append("<text class=\"peak\" x=\"").append(coordinate(PLOT_LEFT)).append("\" y=\"11\">max bin ")
        .append(count(fullest)).append(" rows</text>");

    double binWidth = bins.isEmpty() ? 0 : PLOT_WIDTH / bins.size();
    double gap = binWidth > 3 ? 1 : 0;
    for (int i = 0; i < bins.size(); i++) {
      Bin bin = bins.get(i);
      double height = fullest == 0 ? 0 : PLOT_HEIGHT * bin.count() / fullest;
      b.append("<rect class=\"bar\" x=\"").append(coordinate(PLOT_LEFT + i * binWidth))
          .append("\" y=\"").append(coordinate(baseline - height))
          .append("\" width=\"").append(coordinate(binWidth - gap))
          .append("\" height=\"").append(coordinate(height)).append("\"><title>")
          .append(bin.interval(ReportText::number))
          .append(": ").append(count(bin.count())).append(bin.count() == 1 ? " row" : " rows")
          .append("</title></rect>");
    }
    if (fullest == 0) {
      b.append("<text class=\"empty\" x=\"").append(WIDTH / 2).append("\" y=\"")
          .append(coordinate(PLOT_TOP + PLOT_HEIGHT / 2)).append("\" text-anchor=\"middle\">no finite values</text>");
    }
    b.append("<line class=\"axis\" x1=\"").append(coordinate(PLOT_LEFT)).append("\" y1=\"")
        .append(coordinate(baseline)).append("\" x2=\"").append(coordinate(PLOT_LEFT + PLOT_WIDTH))
        .append("\" y2=\"").append(coordinate(baseline)).append("\"/>");
    double labelY = baseline + 15;
    b.append("<text class=\"edge\" x=\"").append(coordinate(PLOT_LEFT)).append("\" y=\"")
        .append(coordinate(labelY)).append("\">").append(number(h.min())).append("</text>");
    b.append("<text class=\"edge\" x=\"").append(coordinate(PLOT_LEFT + PLOT_WIDTH)).append("\" y=\"")
        .append(coordinate(labelY)).append("\" text-anchor=\"end\">").append(number(h.max())).append("</text>");
    b.append("</svg>");
    return b.toString();
  }
}
