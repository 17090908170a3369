"""The training side of a SparkTfrecord feature spec.

Reads the same YAML file the jobs read (standard library + PyYAML only; the file's `job:` section is ignored) and
gives the trainer what it used to write by hand: the TensorFlow parsing spec, the padded shapes and padding values
for `padded_batch`, the label names and a function that splits parsed features into `(features, label)` (a dict of
labels when the spec has several; `(features, labels, weight)` when the job declares a sample weight).

    import sparktfrecord_spec as sts
    spec = sts.load("conf/din.yaml")
    example_fmt = spec.get_example_fmt()            # {name: tf.io.FixedLenFeature | tf.io.VarLenFeature}
    shapes, paddings = spec.padded_shapes_and_padding_values()
    ds = (tf.data.TFRecordDataset(files, compression_type="GZIP")
          .map(spec.make_parse_fn())                  # parse, densify var-length lists, split off the label
          .padded_batch(256, *spec.padded_shapes_and_padding_values(split_label=True)))

TensorFlow objects are built only when `tensorflow` imports; `parsing_description()` gives the same spec as plain
data everywhere. `check_manifest()` checks that a dataset was written with this very spec.
"""

import json
import os

from ._loader import SpecError, canonical_json, describe, describe_text, description_hash, domain_contains

__all__ = [
    "FeatureSpec", "SpecError", "ManifestMismatchError", "load", "loads", "describe", "describe_text",
    "spec_hash", "canonical_json", "check_manifest", "tensorflow_available", "domain_contains",
]

_TF_DTYPES = {"int64": "int64", "float": "float32", "string": "string", "bytes": "string"}


def tensorflow_available():
    """True when `import tensorflow` works (then the TF objects can be built)."""
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return False
    return True


class ManifestMismatchError(ValueError):
    """A dataset's `_manifest.json` was written with another spec (its `spec_hash` differs)."""


class FeatureSpec:
    """A loaded feature spec: the normalized description plus what the trainer derives from it."""

    def __init__(self, description, path=None):
        self.path = path
        self.description = description
        self.features = description["features"]
        self.crosses = description["crosses"]
        self.name = description["name"]
        self.labels = [f["name"] for f in self.features if f["role"] == "label"]
        self.label = self.labels[0]                 # the first label (the only one for a single-task model)
        self.weight = description.get("weight")     # the sample weight feature (job.sampling.weight), or None
        self.hash = description_hash(description)

    def __repr__(self):
        return f"FeatureSpec(name={self.name!r}, features={[f['name'] for f in self.features]!r}, hash={self.hash[:12]})"

    def feature(self, name):
        """The normalized description of one feature."""
        for f in self.features:
            if f["name"] == name:
                return f
        raise KeyError(name)

    @property
    def is_sequence(self):
        """True when some feature is a SequenceExample feature list (shape `seq`)."""
        return any(f["shape"] == "seq" for f in self.features)

    def canonical_json(self):
        """The canonical JSON of the normalized description (what the spec hash is taken over)."""
        return canonical_json(self.description)

    # ---- parsing spec ----

    def parsing_description(self):
        """The parsing spec as plain data: {name: {"type": "FixedLenFeature"|"VarLenFeature"|"FixedLenSequenceFeature",
        "shape": [...], "dtype": "int64"|"float32"|"string", "default_value": ...}} (no "shape"/"default_value" for
        VarLenFeature). `default_value` is set for optional features only: required ones are in every record."""
        result = {}
        for f in self.features:
            dtype = _TF_DTYPES[f["dtype"]]
            if f["shape"] == "var":
                result[f["name"]] = {"type": "VarLenFeature", "dtype": dtype}
            elif f["shape"] == "seq":
                result[f["name"]] = {"type": "FixedLenSequenceFeature", "shape": [], "dtype": dtype,
                                     "allow_missing": not f["required"]}
            else:
                shape = [] if f["shape"] == "scalar" else [f["length"]]
                default = None if f["required"] else f["default"]
                result[f["name"]] = {"type": "FixedLenFeature", "shape": shape, "dtype": dtype, "default_value": default}
        return result

    def get_example_fmt(self):
        """The dict for `tf.io.parse_example` / `parse_single_example`: tf.io.FixedLenFeature / VarLenFeature objects
        when TensorFlow imports, else the plain `parsing_description()`."""
        if self.is_sequence:
            raise ValueError("this spec has sequence (shape: seq) features: use get_sequence_example_fmt()")
        if not tensorflow_available():
            return self.parsing_description()
        return {name: _to_tf(d) for name, d in self.parsing_description().items()}

    @property
    def steps(self):
        """{history: [companion, ...]}: each sequence history's per-step companions (`of:`), whose feature lists have
        the history's frames in its order; empty without sequence features."""
        return {f["name"]: [c["name"] for c in self.features if c.get("of") == f["name"]]
                for f in self.features if f["shape"] == "seq" and f.get("of") is None}

    def get_sequence_example_fmt(self):
        """(context_features, sequence_features) for `tf.io.parse_single_sequence_example`."""
        plain = self.parsing_description()
        context = {n: d for n, d in plain.items() if d["type"] != "FixedLenSequenceFeature"}
        sequence = {n: d for n, d in plain.items() if d["type"] == "FixedLenSequenceFeature"}
        if tensorflow_available():
            context = {n: _to_tf(d) for n, d in context.items()}
            sequence = {n: _to_tf(d) for n, d in sequence.items()}
        return context, sequence

    # ---- batching ----

    def padded_shapes_and_padding_values(self, split_label=False):
        """Padded shapes (`[]` for scalars, `[N]` for fixed shapes, `[None]` for var-length and sequences) and padding
        values (the spec's `padding`: by default 0, 0.0 and "0") for `padded_batch`. With `split_label=True` both are
        `(features, label)` pairs matching `split_label()`. Padding values are tf.constant of the feature's dtype when
        TensorFlow imports (padded_batch refuses a Python 0 for an int64 component), plain values otherwise."""
        tf = _tensorflow()
        shapes, values = {}, {}
        for f in self.features:
            shapes[f["name"]] = [] if f["shape"] == "scalar" else [f["length"]] if f["shape"] == "fixed" else [None]
            value = f["padding"]
            values[f["name"]] = value if tf is None else tf.constant(value, dtype=getattr(tf, _TF_DTYPES[f["dtype"]]))
        if not split_label:
            return shapes, values
        return self.split_label(shapes), self.split_label(values)

    def split_label(self, parsed):
        """Splits a parsed feature dict into `(features, label)` (the dict is not changed). With several labels the
        label part is a dict `{label: value}`; with a sample weight (`sampling.weight`) the result is the triple
        `(features, labels, weight)` that Keras' `fit` takes as (x, y, sample_weight)."""
        features = dict(parsed)
        labels = {name: features.pop(name) for name in self.labels}
        label = labels[self.label] if len(self.labels) == 1 else labels
        if self.weight is None:
            return features, label
        return features, label, features.pop(self.weight)

    def make_parse_fn(self, split_label=True):
        """A function for `dataset.map` over serialized Examples (SequenceExamples when the spec has `shape: seq`
        features): parses with `get_example_fmt()` (`get_sequence_example_fmt()`), turns var-length features into dense
        tensors padded with their padding value, and splits off the label. Feature lists come out as dense `[frames]`
        tensors beside the context features. Needs TensorFlow."""
        tf = _tensorflow()
        if tf is None:
            raise ImportError("make_parse_fn needs TensorFlow")
        var = {f["name"]: f["padding"] for f in self.features if f["shape"] == "var"}
        if self.is_sequence:
            context_fmt, sequence_fmt = self.get_sequence_example_fmt()

            def parse_sequence(serialized):
                context, sequence = tf.io.parse_single_sequence_example(serialized, context_fmt, sequence_fmt)
                parsed = dict(context)
                parsed.update(sequence)
                for name, padding in var.items():
                    parsed[name] = tf.sparse.to_dense(parsed[name], default_value=padding)
                return self.split_label(parsed) if split_label else parsed

            return parse_sequence
        fmt = self.get_example_fmt()

        def parse(serialized):
            parsed = tf.io.parse_single_example(serialized, fmt)
            for name, padding in var.items():
                parsed[name] = tf.sparse.to_dense(parsed[name], default_value=padding)
            return self.split_label(parsed) if split_label else parsed

        return parse


def _tensorflow():
    try:
        import tensorflow as tf
    except ImportError:
        return None
    return tf


def _to_tf(d):
    import tensorflow as tf
    dtype = getattr(tf, d["dtype"])
    if d["type"] == "VarLenFeature":
        return tf.io.VarLenFeature(dtype)
    if d["type"] == "FixedLenSequenceFeature":
        return tf.io.FixedLenSequenceFeature(d["shape"], dtype, allow_missing=d["allow_missing"])
    if d["default_value"] is None:
        return tf.io.FixedLenFeature(d["shape"], dtype)
    return tf.io.FixedLenFeature(d["shape"], dtype, default_value=d["default_value"])


def load(path):
    """Loads and checks the spec file at `path` (raises SpecError naming file:line:column)."""
    return FeatureSpec(describe(path), os.fspath(path))


def loads(text, file="<spec>"):
    """Loads and checks spec text."""
    return FeatureSpec(describe_text(text, file), None)


def spec_hash(spec_or_path):
    """The spec hash: SHA-256 hex of the canonical JSON of the normalized description (as `FeatureSpec.Hash` in C#)."""
    spec = spec_or_path if isinstance(spec_or_path, FeatureSpec) else load(spec_or_path)
    return spec.hash


def check_manifest(manifest_path_or_dict, spec_path):
    """Checks that a dataset's `_manifest.json` (a path, a dataset folder holding it, or the parsed dict) records this
    spec's hash as `spec_hash`. Returns the hash; raises ManifestMismatchError when it differs or is missing."""
    spec = spec_path if isinstance(spec_path, FeatureSpec) else load(spec_path)
    where = "the manifest"
    manifest = manifest_path_or_dict
    if not isinstance(manifest, dict):
        where = os.fspath(manifest)
        if os.path.isdir(where):
            where = os.path.join(where, "_manifest.json")
        with open(where, encoding="utf-8") as f:
            manifest = json.load(f)
    recorded = manifest.get("spec_hash")
    if recorded is None:
        raise ManifestMismatchError(f"{where} has no spec_hash; it was not written by a SparkTfrecord job that knew the spec")
    if recorded != spec.hash:
        raise ManifestMismatchError(
            f"{where} was written with spec hash {recorded}, but {spec.path or 'the spec'} has hash {spec.hash}: "
            "the data and the spec differ (rebuild the data, or train with the spec it was written with)")
    return spec.hash
