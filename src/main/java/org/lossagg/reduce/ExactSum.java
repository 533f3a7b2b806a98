package org.lossagg.reduce;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * An exact sum of doubles: the result is the correctly rounded value of the exact real sum, so any
 * split of the same terms into partial sums, merged in any order, gives the identical double.
 */
public final class ExactSum {
  private BigDecimal sum = BigDecimal.ZERO;
  private long nan;
  private long posInf;
  private long negInf;

  public void add(double x) {
    if (Double.isNaN(x)) {
      nan++;
    } else if (x == Double.POSITIVE_INFINITY) {
      posInf++;
    } else if (x == Double.NEGATIVE_INFINITY) {
      negInf++;
    } else {
      sum = sum.add(new BigDecimal(x));
    }
  }

  public void merge(ExactSum o) {
    sum = sum.add(o.sum);
    nan += o.nan;
    posInf += o.posInf;
    negInf += o.negInf;
  }

  public double doubleValue() {
    if (nan > 0 || (posInf > 0 && negInf > 0)) {
      return Double.NaN;
    }
    if (posInf > 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (negInf > 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return sum.round(MathContext.DECIMAL128).doubleValue();
  }

  public ExactSum copy() {
    ExactSum c = new ExactSum();
    c.merge(this);
    return c;
  }
}
