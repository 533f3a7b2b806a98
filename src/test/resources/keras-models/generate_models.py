"""Regenerates the .keras fixtures of KerasModelFileTest / EvaluateKerasModelTest and the values Keras gives.

Run with real Keras 3 (the committed files came from keras 3.15.1 with tensorflow-cpu 2.21):
  KERAS_BACKEND=tensorflow python generate_models.py
Writes, next to this script: <name>.keras (a tiny compiled model), table.jsonl (the prediction table
the job evaluates) and expected.json ({model: {output or "": value}}): each compiled loss, as
keras.saving.load_model restores it, called on the whole table as one batch.
"""
import json
import os

import keras
import numpy as np
from keras.src.losses.losses import LossFunctionWrapper

HERE = os.path.dirname(os.path.abspath(__file__))

# The prediction table: 6 rows; binary targets/probabilities, 3-class one-hot targets/probabilities,
# a regression target/prediction and sample weights.
ROWS = {
    "y": [[0.0, 1.0], [1.0, 1.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
    "p": [[0.1, 0.8], [0.7, 0.4], [0.2, 0.3], [0.95, 0.05], [0.5, 0.6], [0.99, 0.9]],
    "logit": [[-2.0, 1.5], [0.3, -0.2], [-1.0, -3.0], [4.0, -2.5], [0.0, 0.7], [5.0, 2.2]],
    "onehot": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
    "probs": [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25], [0.05, 0.15, 0.8]],
    "target": [[1.5], [-0.5], [2.0], [0.0], [3.25], [-1.0]],
    "pred": [[1.0], [0.5], [2.5], [-0.25], [1.0], [-1.5]],
}


def dense_model(outputs, as_list=False):
    """A functional model with one Dense head per (name, units, activation): a dict of outputs, or a list."""
    inp = keras.Input(shape=(4,), name="features")
    outs = {name: keras.layers.Dense(units, activation=act, name=name)(inp) for name, units, act in outputs}
    if len(outs) == 1:
        return keras.Model(inp, list(outs.values())[0])
    return keras.Model(inp, list(outs.values()) if as_list else outs)


@keras.saving.register_keras_serializable(package="acme")
class ScaledMse(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return 2.0 * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


def models():
    return {
        # One output, a configured loss object: options and reduction come from compile_config.
        "bce_logits": (dense_model([("out", 2, None)]),
                       keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), {"": ("y", "logit")}),
        # Tversky with alpha != beta: Keras 3.15.x's FP/FN roles (metadata keras_version 3.15.1).
        "tversky": (dense_model([("out", 2, "sigmoid")]), keras.losses.Tversky(alpha=0.2, beta=0.8, axis=[1]),
                    {"": ("y", "p")}),
        # A loss given by its function name.
        "huber_string": (dense_model([("out", 1, None)]), "huber", {"": ("target", "pred")}),
        # Two outputs with a dict of losses, one per output name.
        "two_outputs_dict": (dense_model([("label", 2, "sigmoid"), ("kind", 3, "softmax")]),
                             {"label": keras.losses.BinaryCrossentropy(),
                              "kind": keras.losses.CategoricalCrossentropy(label_smoothing=0.1)},
                             {"label": ("y", "p"), "kind": ("onehot", "probs")}),
        # Two outputs (a list) with a list of losses, in output order.
        "two_outputs_list": (dense_model([("value", 1, None), ("kind", 3, "softmax")], as_list=True),
                             ["mean_absolute_error", keras.losses.CategoricalFocalCrossentropy(gamma=1.5)],
                             {"value": ("target", "pred"), "kind": ("onehot", "probs")}),
        # A custom loss: lossagg refuses it, naming it.
        "custom_loss": (dense_model([("out", 1, None)]), ScaledMse(), {"": ("target", "pred")}),
    }


def main():
    with open(os.path.join(HERE, "table.jsonl"), "w") as f:
        for i in range(len(ROWS["y"])):
            f.write(json.dumps({k: v[i] for k, v in ROWS.items()}) + "\n")
    expected = {}
    for name, (model, loss, columns) in models().items():
        model.compile(optimizer="sgd", loss=loss)
        path = os.path.join(HERE, name + ".keras")
        model.save(path)
        if name == "custom_loss":
            continue
        restored = keras.saving.load_model(path).loss
        values = {}
        for out, (t, p) in columns.items():
            if isinstance(restored, dict):
                l = restored[out]
            elif isinstance(restored, (list, tuple)):
                l = restored[list(columns).index(out)]
            else:
                l = restored
            l = keras.losses.get(l)
            if not isinstance(l, keras.losses.Loss):
                # compile wraps a loss function as Keras' LossFunctionWrapper (sum_over_batch_size).
                l = LossFunctionWrapper(l)
            y_true = np.array(ROWS[t], dtype="float32")
            y_pred = np.array(ROWS[p], dtype="float32")
            values[out] = float(l(y_true, y_pred))
        expected[name] = values
    expected["keras_version"] = keras.__version__
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
