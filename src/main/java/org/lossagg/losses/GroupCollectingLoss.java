package org.lossagg.losses;

/**
 * A loss whose mergeable state collects the rows of its group, because each row's value depends on
 * every other row of the group ({@link Circle}'s pairs): its memory grows with the group and its
 * time with the group's square, so the state refuses a group past a bound, which an engine may set.
 */
public interface GroupCollectingLoss {
  /** The bound on the rows of a group this loss' aggregation collects. */
  int maxGroupRows();

  /** This loss with another bound ({@code rows >= 1}); lossagg's own setting, not part of the Keras config. */
  Loss withMaxGroupRows(int rows);
}
