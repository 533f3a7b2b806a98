package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/** Dice and Tversky: axis=None is one value per table, and its aggregation matches the class form bit for bit. */
class OverlapLossesTest {
  private static final Reduction[] REDUCTIONS = {
    Reduction.SUM_OVER_BATCH_SIZE, Reduction.SUM, Reduction.MEAN, Reduction.MEAN_WITH_SAMPLE_WEIGHT};

  /** How the rows of a test batch are weighted. */
  enum Weights { NONE, SCALAR, PER_ROW, PER_ROW_COLUMN, PER_ELEMENT, MASK, PER_ROW_AND_MASK }

  static Stream<Arguments> combinations() {
    List<Arguments> out = new ArrayList<>();
    for (String loss : new String[] {"Dice", "Tversky"}) {
      for (Reduction r : REDUCTIONS) {
        for (Weights w : Weights.values()) {
          out.add(Arguments.of(loss, r, w));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("combinations")
  void anySplitAndMergeOrderEqualsTheClassFormOnTheWholeBatch(String name, Reduction reduction, Weights kind) {
    Loss loss = build(name, reduction);
    Random rnd = new Random(name.hashCode() * 31 + reduction.ordinal() * 7 + kind.ordinal());
    for (int batch : new int[] {1, 2, 5, 9}) {
      NdArray yTrue = random(rnd, batch, true);
      NdArray yPred = random(rnd, batch, false);
      NdArray sw = weights(rnd, kind, batch);
      NdArray mask = masks(rnd, kind, batch);
      double whole = loss.call(yTrue, yPred, sw, mask).item();
      for (int trial = 0; trial < 12; trial++) {
        List<int[]> chunks = RowSplits.random(rnd, batch, trial == 0);
        List<LossAggregation> states = new ArrayList<>();
        for (int[] ch : chunks) {
          LossAggregation a = loss.newAggregation();
          a.add(RowSplits.rows(yTrue, ch), RowSplits.rows(yPred, ch), sw == null || sw.rank() == 0 ? sw : RowSplits.rows(sw, ch),
              mask == null ? null : RowSplits.rows(mask, ch));
          states.add(a);
        }
        Collections.shuffle(states, rnd);
        LossAggregation merged = loss.newAggregation();
        for (LossAggregation s : states) {
          merged.merge(s);
        }
        double got = merged.result();
        assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(got),
            () -> name + " " + reduction + " " + kind + " B=" + batch + ": whole " + whole + ", got " + got);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("combinations")
  void classFormFollowsKerasWeightingOfTheScalarLoss(String name, Reduction reduction, Weights kind) {
    // Keras: V = L * broadcast weights (mask folded in), then reduced; V scalar is returned as is.
    Loss loss = build(name, reduction);
    Random rnd = new Random(99 + kind.ordinal());
    int batch = 4;
    NdArray yTrue = random(rnd, batch, true);
    NdArray yPred = random(rnd, batch, false);
    NdArray sw = weights(rnd, kind, batch);
    NdArray mask = masks(rnd, kind, batch);
    double l = build(name, Reduction.NONE).call(yTrue, yPred).item();
    double got = loss.call(yTrue, yPred, sw, mask).item();
    double want;
    if (sw == null && mask == null) {
      want = l;
    } else if (sw != null && sw.rank() == 0 && mask == null) {
      want = l * sw.item();
    } else {
      NdArray wb = sw == null ? null : sw.rank() == 2 && sw.dim(1) == 1 ? sw.reshape(batch) : sw;
      double sumV = 0;
      double sumW = 0;
      int valid = 0;
      int count = 0;
      int perRow = wb != null && wb.rank() == 3 ? wb.size() / batch : 1;
      for (int i = 0; i < batch * perRow; i++) {
        double w = wb == null ? 1.0 : wb.get(i);
        double m = mask == null ? 1.0 : mask.get(i / perRow);
        count++;
        sumW += (float) (w * m);
        if (m != 0) {
          valid++;
          sumV += (float) (l * (float) (w * m));
        }
      }
      switch (reduction) {
        case SUM:
          want = sumV;
          break;
        case MEAN_WITH_SAMPLE_WEIGHT:
          want = sumV / sumW;
          break;
        default:
          want = sumV / valid;
      }
      assertTrue(count > 0);
    }
    assertEquals(want, got, 4e-7 * Math.max(1, Math.abs(want)), name + " " + reduction + " " + kind);
  }

  @Test
  void axisNoneGivesOneValueForTheBatchAndAnAxisListOneValuePerSample() {
    NdArray t = NdArray.matrix(new double[][] {{1, 0}, {1, 1}});
    NdArray p = NdArray.matrix(new double[][] {{0.5, 0.5}, {1, 0}});
    assertEquals(0, Dice.builder().reduction(Reduction.NONE).build().call(t, p).rank());
    assertEquals(0.39999998f, (float) Dice.builder().build().call(t, p).item());
    NdArray perSample = Dice.builder().axis(1).reduction(Reduction.NONE).build().call(t, p);
    assertArrayEquals(new double[] {0.5, (float) (1 - 2.0 / 3)}, perSample.data(), 1e-7);
    assertInstanceOf(PerSampleAggregation.class, Dice.builder().axis(new int[] {1}).build().newAggregation());
    assertInstanceOf(OverlapAggregation.class, Tversky.builder().build().newAggregation());
  }

  @Test
  void perSampleWeightsScaleTheBatchValueByTheirMean() {
    // Probe dice_scalar_with_per_sample_weight: 0.4 * mean([1, 3]) = 0.8.
    NdArray t = NdArray.matrix(new double[][] {{1, 0}, {1, 1}});
    NdArray p = NdArray.matrix(new double[][] {{0.5, 0.5}, {1, 0}});
    assertEquals(0.79999995f, (float) Dice.builder().build().call(t, p, NdArray.vector(1, 3)).item());
  }

  @Test
  void oneRowWithOneWeightIsReturnedAsIsWhateverTheReduction() {
    // Keras squeezes a (1,) weight against the scalar loss: V = L*w is a scalar, not divided by w.
    NdArray t = NdArray.matrix(new double[][] {{1, 0, 1}});
    NdArray p = NdArray.matrix(new double[][] {{0.2, 0.5, 0.9}});
    double l = Dice.builder().build().call(t, p).item();
    Loss mwsw = Dice.builder().reduction(Reduction.MEAN_WITH_SAMPLE_WEIGHT).build();
    assertEquals((float) (l * 3), mwsw.call(t, p, NdArray.vector(3)).item());
    LossAggregation a = mwsw.newAggregation();
    a.add(t, p, NdArray.vector(3), null);
    assertEquals((float) (l * 3), a.result());
  }

  @Test
  void tverskyFollows315ByDefaultAndHeadWith316() {
    NdArray t = NdArray.matrix(new double[][] {{1, 2}, {1, 2}});
    NdArray p = NdArray.matrix(new double[][] {{4, 1}, {6, 1}});
    assertEquals(-0.29629636f, (float) Tversky.builder().alpha(0.2).beta(0.8).build().call(t, p).item());
    assertEquals(-0.9444444f, (float) Tversky.builder().alpha(0.2).beta(0.8).kerasVersion("3.16").build().call(t, p).item());
    // Equal coefficients make Tversky the Dice loss.
    assertEquals((float) Dice.builder().build().call(t, p).item(), (float) Tversky.builder().build().call(t, p).item(), 1e-7);
  }

  @Test
  void functionOnABatchOfOneRowIsKerasOnThatRow() {
    Loss dice = Dice.builder().build();
    NdArray t = NdArray.of(new double[] {1, 0, 1, 1}, 1, 4);
    NdArray p = NdArray.of(new double[] {0.9, 0.2, 0.4, 0.7}, 1, 4);
    double keras = 1 - (float) (2 * (0.9f + 0.4f + 0.7f)) / (float) (3 + (float) (0.9f + 0.2f + 0.4f + 0.7f) + 1e-7f);
    assertEquals((float) keras, (float) dice.function(t, p).item(), 1e-7);
    assertEquals(dice.call(t, p).item(), dice.function(t, p).item());
  }

  @Test
  void chunksMustWeighRowsTheSameWay() {
    Loss dice = Dice.builder().build();
    NdArray t = NdArray.matrix(new double[][] {{1, 0}});
    NdArray p = NdArray.matrix(new double[][] {{0.5, 0.5}});
    LossAggregation a = dice.newAggregation();
    a.add(t, p, NdArray.vector(2), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(t, p, null, null));
    assertTrue(e.getMessage().contains("Dice (axis=None)") && e.getMessage().contains("per-row"), e.getMessage());
    LossAggregation b = dice.newAggregation();
    b.add(t, p, NdArray.scalar(2), null);
    e = assertThrows(IllegalArgumentException.class, () -> b.add(t, p, NdArray.scalar(3), null));
    assertTrue(e.getMessage().contains("2.0 and 3.0"), e.getMessage());
    LossAggregation other = Tversky.builder().build().newAggregation();
    assertThrows(IllegalArgumentException.class, () -> b.merge(other));
  }

  @Test
  void axisIsValidatedAgainstTheInputRank() {
    NdArray t = NdArray.matrix(new double[][] {{1, 0}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dice.builder().axis(new int[] {1, 2}).build().call(t, t));
    assertTrue(e.getMessage().contains("Dice") && e.getMessage().contains("'axis'") && e.getMessage().contains("rank 2"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Dice.builder().axis(new int[] {1, -1}).build().call(t, t));
    assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Tversky.builder().build().call(t, NdArray.matrix(new double[][] {{1, 0, 1}})));
    assertTrue(e.getMessage().contains("Tversky") && e.getMessage().contains("[1, 2]") && e.getMessage().contains("[1, 3]"),
        e.getMessage());
  }

  @Test
  void specsListKerasOptionsAndDefaults() {
    assertEquals(List.of("axis"), names(Dice.SPEC));
    assertEquals(List.of("alpha", "beta", "axis"), names(Tversky.SPEC));
    assertEquals(RowOutput.TABLE_OR_ROW, Dice.SPEC.rowOutput());
    Loss t = Tversky.builder().build();
    assertEquals(0.5, t.options().number("alpha"));
    assertEquals(0.5, t.options().number("beta"));
    assertEquals(null, t.options().get("axis"));
    assertEquals("tversky", t.name());
    assertEquals("dice", Dice.builder().build().name());
  }

  private static List<String> names(LossSpec s) {
    List<String> n = new ArrayList<>();
    for (OptionSpec o : s.options()) {
      n.add(o.name());
    }
    return n;
  }

  private static Loss build(String name, Reduction r) {
    return name.equals("Dice") ? Dice.builder().reduction(r).build()
        : Tversky.builder().alpha(0.3).beta(0.7).reduction(r).build();
  }

  /** A (batch, 3, 2) array: 0/1 labels or float32 predictions. */
  private static NdArray random(Random rnd, int batch, boolean labels) {
    double[] d = new double[batch * 6];
    for (int i = 0; i < d.length; i++) {
      d[i] = labels ? rnd.nextInt(2) : (float) rnd.nextDouble();
    }
    return NdArray.of(d, batch, 3, 2);
  }

  private static NdArray weights(Random rnd, Weights kind, int batch) {
    switch (kind) {
      case SCALAR:
        return NdArray.scalar((float) (0.5 + rnd.nextDouble()));
      case PER_ROW:
      case PER_ROW_AND_MASK:
        return floats(rnd, batch, batch);
      case PER_ROW_COLUMN:
        return floats(rnd, batch, batch, 1);
      case PER_ELEMENT:
        return floats(rnd, batch * 6, batch, 3, 2);
      default:
        return null;
    }
  }

  private static NdArray masks(Random rnd, Weights kind, int batch) {
    if (kind != Weights.MASK && kind != Weights.PER_ROW_AND_MASK) {
      return null;
    }
    double[] m = new double[batch];
    for (int i = 0; i < batch; i++) {
      m[i] = rnd.nextInt(3) == 0 ? 0 : 1;
    }
    return NdArray.of(m, batch);
  }

  private static NdArray floats(Random rnd, int n, int... shape) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = (float) (rnd.nextDouble() * 2);
    }
    return NdArray.of(d, shape);
  }
}
