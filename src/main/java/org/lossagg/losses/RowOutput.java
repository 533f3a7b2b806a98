package org.lossagg.losses;

/** What a loss returns for one row (one sample) — drives the SQL return types and docs. */
public enum RowOutput {
  /** The reduction axis is dropped: a scalar for a vector row, a vector for a matrix row. */
  DROPS_AXIS,
  /** Labels have one axis fewer than predictions (sparse labels): a scalar per class-vector row. */
  DROPS_CLASS_AXIS,
  /** Always one value per row (CTC over a T×C matrix). */
  SCALAR,
  /** Element-wise: same shape as the inputs. */
  ELEMENTWISE,
  /**
   * With {@code axis=None} one value for the whole table (Dice, Tversky); with an axis list, one
   * value per row.
   */
  TABLE_OR_ROW,
  /** One value per row, computed against the other rows of the group (Circle's pairs). */
  GROUP_PAIRWISE
}
