package org.lossagg.losses;

import java.util.Arrays;

/**
 * Labels that are class ids (SparseCategoricalCrossentropy, CategoricalGeneralizedCrossEntropy):
 * an integer in [0, C), or an {@link IllegalArgumentException} naming the loss, the label, its index
 * and C. TensorFlow raises for such labels; NumPy and JAX silently give 0 (or, through one_hot, an
 * all-zero row), a number with no Keras meaning.
 */
final class ClassIds {
  private ClassIds() {}

  /**
   * The class id of label {@code v} at flat position {@code pos} of labels of shape {@code shape};
   * {@code note} is appended to the message (e.g. the ignore_class in use), "" for none.
   */
  static int check(String loss, double v, int pos, int[] shape, int classes, String note) {
    if (v != Math.rint(v) || v < 0 || v >= classes) {
      String what = v == Math.rint(v) ? "outside the valid range [0, " + classes + ") of y_pred's " + classes + " classes"
          : "not an integer class id in [0, " + classes + ")";
      throw new IllegalArgumentException(loss + ": y_true label " + format(v) + " at index "
          + Arrays.toString(unravel(pos, shape)) + " is " + what + note);
    }
    return (int) v;
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static int[] unravel(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) {
      idx[i] = flat % shape[i];
      flat /= shape[i];
    }
    return idx;
  }
}
