package org.lossagg.losses;

import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/** Functional-form cases that pass extra arguments (Circle's reference set). */
final class ReferenceKwargs {
  private ReferenceKwargs() {}

  static NdArray function(Loss loss, ReferenceCase c, DType dt) {
    throw new IllegalArgumentException(c.id() + ": functional kwargs " + c.kwargs() + " are not supported for " + loss.spec());
  }
}
