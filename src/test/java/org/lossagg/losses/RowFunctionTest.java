package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/** A Spark row is a Keras batch of one: scalar, vector and matrix rows. */
class RowFunctionTest {
  @Test
  void vectorRowGivesTheSampleValue() {
    Loss mse = MeanSquaredError.builder().build();
    NdArray v = mse.functionOnRow(NdArray.vector(0, 1), NdArray.vector(1, 3), DType.FLOAT64).values();
    assertEquals(0, v.rank());
    assertEquals(2.5, v.item());
  }

  @Test
  void scalarRowIsOneElementSample() {
    Loss bce = BinaryCrossentropy.builder().fromLogits(true).build();
    NdArray v = bce.functionOnRow(NdArray.scalar(1), NdArray.scalar(-30), DType.FLOAT32).values();
    assertEquals(0, v.rank());
    assertEquals(30.0, v.item());
  }

  @Test
  void matrixRowGivesOneValuePerRowOfTheMatrix() {
    Loss mse = MeanSquaredError.builder().build();
    NdArray t = NdArray.matrix(new double[][] {{0, 0}, {1, 1}});
    NdArray p = NdArray.matrix(new double[][] {{1, 1}, {1, 3}});
    NdArray v = mse.functionOnRow(t, p, DType.FLOAT64).values();
    assertArrayEquals(new int[] {2}, v.shape());
    assertArrayEquals(new double[] {1.0, 2.0}, v.data());
  }
}
