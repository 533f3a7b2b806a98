package org.lossagg.losses;

import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/** Functional-form cases that pass extra arguments (Circle's reference set). */
final class ReferenceKwargs {
  private ReferenceKwargs() {}

  static NdArray function(Loss loss, ReferenceCase c, DType dt) {
    if (loss instanceof Circle && c.kwargs().has("ref_labels") && c.kwargs().has("ref_embeddings")
        && c.kwargs().size() == 2) {
      NdArray refLabels = ReferenceCase.array(c.kwargs().get("ref_labels"));
      NdArray refEmbeddings = ReferenceCase.array(c.kwargs().get("ref_embeddings"));
      return ((Circle) loss).function(c.yTrue(), c.yPred(), refLabels, refEmbeddings, dt).values();
    }
    throw new IllegalArgumentException(c.id() + ": functional kwargs " + c.kwargs() + " are not supported for " + loss.spec());
  }
}
