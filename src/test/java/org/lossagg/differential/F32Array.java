package org.lossagg.differential;

import java.util.Arrays;
import org.lossagg.numerics.NdArray;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A float32 tensor as both sides of the differential test see it: the same bits go to TensorFlow
 * Java as a {@code TFloat32} constant and to lossagg as an {@link NdArray} of (exactly widened)
 * doubles.
 */
record F32Array(float[] data, int[] shape) {

  static F32Array scalar(float v) {
    return new F32Array(new float[] {v}, new int[0]);
  }

  int size() {
    return data.length;
  }

  NdArray toNdArray() {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return NdArray.of(d, shape.clone());
  }

  Operand<TFloat32> toConstant(Ops tf) {
    long[] dims = new long[shape.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape[i];
    }
    return tf.constant(Shape.of(dims), DataBuffers.of(data.clone()));
  }

  /** Reads an evaluated eager operand. */
  static F32Array read(Operand<TFloat32> op) {
    TFloat32 t = op.asTensor();
    long[] dims = t.shape().asArray();
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = Math.toIntExact(dims[i]);
    }
    float[] out = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(out, false, false));
    return new F32Array(out, shape);
  }

  /** Shape and values, with float32 round-trip digits, for failure reports. */
  String describe() {
    StringBuilder sb = new StringBuilder(Arrays.toString(shape)).append(' ').append('[');
    for (int i = 0; i < data.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(Float.toString(data[i]));
    }
    return sb.append(']').toString();
  }
}
