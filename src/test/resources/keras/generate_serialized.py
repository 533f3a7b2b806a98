"""Regenerates the keras/*.jsonl fixtures: json.dumps(keras.losses.serialize(loss)) per line.

Run with Keras on the path and any backend, e.g.
  KERAS_BACKEND=numpy python generate_serialized.py defaults > keras3-head-defaults.jsonl
  KERAS_BACKEND=numpy python generate_serialized.py options > keras3-head-options.jsonl
The committed files came from Keras HEAD 3422977a5e38 (3.16.0.dev, the spec's Keras 3) and, for the
3.15.1 files, from the keras 3.15.1 release. The defaults lines are one per loss of LossCatalog (read
from its source); KerasGoldenTest checks that every catalogue loss has its lines, and an options line
when it has options (add it to options() below).
"""
import json
import pathlib
import re
import sys

from keras import losses as L

CATALOG = (pathlib.Path(__file__).resolve().parents[4]
           / "src/main/java/org/lossagg/losses/LossCatalog.java")
DEFAULTS = re.findall(r"(\w+)\.SPEC", CATALOG.read_text())


def options():
    return [
        L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, axis=1, reduction="sum", name="bce_logits"),
        L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.5, from_logits=True,
                                  label_smoothing=0.05, axis=0, reduction=None),
        L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2, axis=1, reduction="mean"),
        L.CategoricalFocalCrossentropy(alpha=0.4, gamma=3.0, from_logits=True, label_smoothing=1e-05, axis=1,
                                       reduction="mean_with_sample_weight"),
        L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1, reduction="none", name="scce"),
        L.Poisson(reduction="sum", name="p"),
        L.MeanSquaredError(reduction="sum"),
        L.CosineSimilarity(axis=1, reduction="sum"),
        L.Huber(delta=0.75),
        L.Dice(axis=(1, 2, 3), reduction="sum"),
        L.Dice(axis=1),
        L.Tversky(alpha=0.3, beta=0.7, axis=(1, 2)),
        L.Circle(gamma=64.0, margin=0.25, remove_diagonal=False),
        L.CategoricalGeneralizedCrossEntropy(q=0.7),
    ]


if __name__ == "__main__":
    objs = [getattr(L, n)() for n in DEFAULTS] if sys.argv[1] == "defaults" else options()
    for o in objs:
        print(json.dumps(L.serialize(o)))
