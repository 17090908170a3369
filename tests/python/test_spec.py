"""Tests of the Python side of the feature spec (lib/python/sparktfrecord_spec) and of the exported tf-python module.

Run under Debian's interpreter: PYTHONPATH=lib/python /usr/bin/python3 -m unittest discover -s tests/python
(`dotnet test` runs this suite too: tests/SparkTfrecord.Spec.Tests/PythonUnitTests.cs). TensorFlow objects are
checked against a stand-in module everywhere, and against real TensorFlow only where it imports (skipped otherwise).
"""

import collections
import contextlib
import importlib.util
import json
import os
import py_compile
import sys
import tempfile
import types
import unittest

import sparktfrecord_spec as sts

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DIN = os.path.join(ROOT, "conf", "din.yaml")
WIDE_DEEP = os.path.join(ROOT, "conf", "wide_deep.yaml")
GOLDEN_TF_PYTHON = os.path.join(ROOT, "tests", "python", "golden", "din_example_fmt.py")
DIN_SEQ = os.path.join(ROOT, "tests", "spec-cases", "sequence", "din_seq.yaml")
GOLDEN_SEQ_TF_PYTHON = os.path.join(ROOT, "tests", "python", "golden", "din_seq_example_fmt.py")
MALFORMED = os.path.join(ROOT, "tests", "spec-cases", "malformed")
DIN_HASH = "85ec4dd18489f6fbc7f695d213997c1d09ef98a7c05f6497290d8959d95e23e9"
SCALARS = ["label", "user_id", "age", "gender", "device", "item_id"]

EXPECTED_PLAIN = {
    "label": {"type": "FixedLenFeature", "shape": [], "dtype": "int64", "default_value": None},
    "user_id": {"type": "FixedLenFeature", "shape": [], "dtype": "string", "default_value": None},
    "age": {"type": "FixedLenFeature", "shape": [], "dtype": "int64", "default_value": None},
    "gender": {"type": "FixedLenFeature", "shape": [], "dtype": "string", "default_value": None},
    "device": {"type": "FixedLenFeature", "shape": [], "dtype": "string", "default_value": None},
    "item_id": {"type": "FixedLenFeature", "shape": [], "dtype": "string", "default_value": None},
    "clicked_items_15d": {"type": "VarLenFeature", "dtype": "string"},
}
EXPECTED_SHAPES = {name: [] for name in SCALARS} | {"clicked_items_15d": [None]}
EXPECTED_PADDING = {"label": 0, "user_id": "0", "age": 0, "gender": "0", "device": "0", "item_id": "0", "clicked_items_15d": "0"}


def real_tensorflow():
    try:
        import tensorflow as tf
    except ImportError:
        return None
    return tf


def load_exported(path=GOLDEN_TF_PYTHON):
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def fake_tensorflow():
    """A stand-in `tensorflow` with the pieces the parsing code uses, so the TF path runs where TF cannot."""
    if real_tensorflow() is not None:
        raise unittest.SkipTest("real TensorFlow is importable; the real-TensorFlow tests cover this path")
    tf = types.ModuleType("tensorflow")
    tf.FAKE = True
    tf.int64, tf.float32, tf.string = "tf.int64", "tf.float32", "tf.string"
    FixedLen = collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"], defaults=[None])
    VarLen = collections.namedtuple("VarLenFeature", ["dtype"])
    FixedLenSeq = collections.namedtuple("FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"], defaults=[False, None])
    Constant = collections.namedtuple("Constant", ["value", "dtype"])
    tf.io = types.SimpleNamespace(FixedLenFeature=FixedLen, VarLenFeature=VarLen, FixedLenSequenceFeature=FixedLenSeq)
    tf.constant = lambda value, dtype=None: Constant(value, dtype)
    tf.Constant = Constant
    saved = sys.modules.get("tensorflow")
    sys.modules["tensorflow"] = tf
    try:
        yield tf
    finally:
        if saved is None:
            del sys.modules["tensorflow"]
        else:
            sys.modules["tensorflow"] = saved


class DinPlainDescriptionTest(unittest.TestCase):
    def setUp(self):
        self.spec = sts.load(DIN)

    def test_parsing_description_is_the_original_pipelines_example_fmt(self):
        self.assertEqual(self.spec.parsing_description(), EXPECTED_PLAIN)

    def test_get_example_fmt_is_the_plain_description_without_tensorflow(self):
        if real_tensorflow() is not None:
            self.skipTest("TensorFlow imports here: get_example_fmt() builds TF objects")
        self.assertEqual(self.spec.get_example_fmt(), EXPECTED_PLAIN)

    def test_padded_shapes_and_padding_values(self):
        if real_tensorflow() is not None:
            self.skipTest("TensorFlow imports here: padding values are tensors (see the real-TensorFlow tests)")
        shapes, values = self.spec.padded_shapes_and_padding_values()
        self.assertEqual(shapes, EXPECTED_SHAPES)
        self.assertEqual(values, EXPECTED_PADDING)
        self.assertIsInstance(values["age"], int)
        self.assertIsInstance(values["user_id"], str)

    def test_padded_shapes_split_like_features_and_label(self):
        if real_tensorflow() is not None:
            self.skipTest("TensorFlow imports here")
        (feature_shapes, label_shape), (feature_values, label_value) = self.spec.padded_shapes_and_padding_values(split_label=True)
        self.assertNotIn("label", feature_shapes)
        self.assertEqual(label_shape, [])
        self.assertEqual(label_value, 0)
        self.assertEqual(feature_shapes["clicked_items_15d"], [None])

    def test_label_is_split_off(self):
        parsed = {"label": 1, "user_id": "u1", "clicked_items_15d": ["a"]}
        features, label = self.spec.split_label(parsed)
        self.assertEqual(label, 1)
        self.assertEqual(features, {"user_id": "u1", "clicked_items_15d": ["a"]})
        self.assertIn("label", parsed, "the input dict is not changed")
        self.assertEqual(self.spec.label, "label")

    def test_float_padding_is_a_float(self):
        spec = sts.loads("spec: 1\nfeatures:\n  - {name: label, dtype: float, role: label}\n  - {name: p, dtype: float, shape: var}\n")
        if real_tensorflow() is None:
            _, values = spec.padded_shapes_and_padding_values()
            self.assertEqual(values, {"label": 0.0, "p": 0.0})
            self.assertIsInstance(values["p"], float)
        self.assertEqual(spec.parsing_description()["p"], {"type": "VarLenFeature", "dtype": "float32"})

    def test_hash_is_the_same_as_in_csharp(self):
        self.assertEqual(self.spec.hash, DIN_HASH)
        self.assertEqual(sts.spec_hash(DIN), DIN_HASH)

    def test_job_section_is_ignored(self):
        with open(DIN, encoding="utf-8") as f:
            text = f.read()
        # din.yaml carries its own job: section (last top-level key); replace it with a
        # different one full of YAML 1.1/1.2 ambiguities, which must not matter either.
        features_only = text[: text.index("\njob:") + 1]
        self.assertEqual(sts.loads(features_only).hash, DIN_HASH)
        with_job = sts.loads(features_only + "job:\n  sources: {impressions: {path: x}}\n  flags: [yes, no, 017, 1:30]\n")
        self.assertEqual(with_job.hash, DIN_HASH)

    def test_optional_feature_gets_its_default_value(self):
        spec = sts.loads("spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n  - {name: age, dtype: int64, required: false, default: 0}\n")
        self.assertEqual(spec.parsing_description()["age"], {"type": "FixedLenFeature", "shape": [], "dtype": "int64", "default_value": 0})

    def test_sequence_features_need_the_sequence_parser(self):
        spec = sts.loads("spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n  - {name: clicks, dtype: string, shape: seq, role: history}\n")
        with self.assertRaises(ValueError):
            spec.get_example_fmt()
        if real_tensorflow() is None:
            context, sequence = spec.get_sequence_example_fmt()
            self.assertEqual(list(context), ["label"])
            self.assertEqual(sequence["clicks"], {"type": "FixedLenSequenceFeature", "shape": [], "dtype": "string", "allow_missing": False})


class ExportedModuleTest(unittest.TestCase):
    def test_exported_file_compiles(self):
        with tempfile.TemporaryDirectory() as tmp:
            py_compile.compile(GOLDEN_TF_PYTHON, cfile=os.path.join(tmp, "out.pyc"), doraise=True)

    def test_exported_file_gives_the_same_plain_spec_as_the_module(self):
        module = load_exported()
        spec = sts.load(DIN)
        self.assertEqual(module.parsing_description(), EXPECTED_PLAIN)
        self.assertEqual(module.parsing_description(), spec.parsing_description())
        self.assertEqual(module.PADDED_SHAPES, EXPECTED_SHAPES)
        self.assertEqual(module.PADDING_VALUES, EXPECTED_PADDING)
        self.assertEqual(module.LABEL, "label")
        self.assertEqual(module.SPEC_HASH, spec.hash)
        self.assertEqual(module.split_label({"label": 0, "age": 3}), ({"age": 3}, 0))
        if real_tensorflow() is None:
            self.assertEqual(module.get_example_fmt(), EXPECTED_PLAIN)
            self.assertEqual(module.padded_shapes_and_padding_values(), (EXPECTED_SHAPES, EXPECTED_PADDING))


class FakeTensorFlowTest(unittest.TestCase):
    """The TensorFlow-building code, run against a stand-in module (real TensorFlow cannot be installed here)."""

    def check_example_fmt(self, fmt, tf):
        for name in SCALARS:
            self.assertEqual(fmt[name], tf.io.FixedLenFeature([], tf.int64 if name in ("label", "age") else tf.string), name)
            self.assertEqual(type(fmt[name]).__name__, "FixedLenFeature")
        self.assertEqual(fmt["clicked_items_15d"], tf.io.VarLenFeature(tf.string))
        self.assertEqual(type(fmt["clicked_items_15d"]).__name__, "VarLenFeature")

    def check_padding(self, pair, tf):
        shapes, values = pair
        self.assertEqual(shapes, EXPECTED_SHAPES)
        self.assertEqual(values["age"], tf.constant(0, dtype=tf.int64))
        self.assertEqual(values["user_id"], tf.constant("0", dtype=tf.string))
        self.assertEqual(values["clicked_items_15d"], tf.constant("0", dtype=tf.string))

    def test_module_builds_fixed_and_var_len_features(self):
        with fake_tensorflow() as tf:
            spec = sts.load(DIN)
            self.check_example_fmt(spec.get_example_fmt(), tf)
            self.check_padding(spec.padded_shapes_and_padding_values(), tf)

    def test_exported_file_builds_fixed_and_var_len_features(self):
        with fake_tensorflow() as tf:
            module = load_exported()
            self.check_example_fmt(module.get_example_fmt(), tf)
            self.check_padding(module.padded_shapes_and_padding_values(), tf)

    def test_float_padding_is_a_float32_constant(self):
        with fake_tensorflow() as tf:
            spec = sts.loads("spec: 1\nfeatures:\n  - {name: label, dtype: float, role: label}\n  - {name: p, dtype: float, shape: 2, required: false, default: 1.5}\n")
            _, values = spec.padded_shapes_and_padding_values()
            self.assertEqual(values["p"], tf.constant(0.0, dtype=tf.float32))
            self.assertEqual(spec.get_example_fmt()["p"], tf.io.FixedLenFeature([2], tf.float32, default_value=[1.5, 1.5]))


@unittest.skipIf(real_tensorflow() is None, "TensorFlow is not importable here (it cannot be installed on this machine)")
class RealTensorFlowTest(unittest.TestCase):
    def test_module_and_exported_file_give_tf_io_features(self):
        import tensorflow as tf
        expected = {name: tf.io.FixedLenFeature([], tf.int64 if name in ("label", "age") else tf.string) for name in SCALARS}
        expected["clicked_items_15d"] = tf.io.VarLenFeature(tf.string)
        self.assertEqual(sts.load(DIN).get_example_fmt(), expected)
        self.assertEqual(load_exported().get_example_fmt(), expected)

    def test_padded_batch_accepts_the_padding_values(self):
        import tensorflow as tf
        spec = sts.load(DIN)
        serialized = tf.train.Example(features=tf.train.Features(feature={
            "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[1])),
            "user_id": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"u"])),
            "age": tf.train.Feature(int64_list=tf.train.Int64List(value=[30])),
            "gender": tf.train.Feature(bytes_list=tf.train.BytesList(value=["未知".encode()])),
            "device": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"d"])),
            "item_id": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"i"])),
            "clicked_items_15d": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"a", b"b"])),
        })).SerializeToString()
        ds = tf.data.Dataset.from_tensors(serialized).repeat(2).map(spec.make_parse_fn())
        batch = next(iter(ds.padded_batch(2, *spec.padded_shapes_and_padding_values(split_label=True))))
        self.assertEqual(batch[1].numpy().tolist(), [1, 1])


class MalformedSpecTest(unittest.TestCase):
    def test_every_malformed_case_is_reported_at_its_line_and_column(self):
        with open(os.path.join(MALFORMED, "expected.tsv"), encoding="utf-8") as f:
            cases = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        self.assertGreaterEqual(len(cases), 70)
        for name, position, message in cases:
            with self.subTest(case=name):
                path = os.path.join(MALFORMED, name)
                with self.assertRaises(sts.SpecError) as caught:
                    sts.load(path)
                e = caught.exception
                line, column = (int(x) for x in position.split(":"))
                self.assertEqual((e.line, e.column), (line, column), str(e))
                if message.startswith("*"):
                    self.assertTrue(str(e).startswith(f"{path}:{line}:{column}: {message[1:]}"), str(e))
                else:
                    self.assertEqual(str(e), f"{path}:{line}:{column}: {message}")


class LimitsTest(unittest.TestCase):
    def test_a_spec_nested_40000_deep_is_refused_without_recursion_error(self):
        text = "spec: 1\njob: " + "[" * 40000 + "]" * 40000 + "\n"
        with self.assertRaises(sts.SpecError) as caught:
            sts.loads(text, "deep.yaml")
        e = caught.exception
        self.assertEqual((e.line, e.column), (2, 69), str(e))
        self.assertIn("more than 64 deep", str(e))

    def test_a_spec_file_over_4_mib_is_refused_naming_its_size_and_the_limit(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "big.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write("spec: 1\nfeatures:\n")
                f.write("  - {name: f, dtype: int64}\n" * 200000)
            size = os.path.getsize(path)
            with self.assertRaises(sts.SpecError) as caught:
                sts.load(path)
            self.assertEqual(str(caught.exception),
                             f"{path}:1:1: the file is {size} bytes, more than the 4194304 bytes (4 MiB) a spec may have. "
                             "A spec declares features and the job's settings; keep data (long value lists, logs) out of it.")


class ManifestTest(unittest.TestCase):
    def test_matching_manifest_passes(self):
        self.assertEqual(sts.check_manifest({"spec_hash": DIN_HASH, "counts": [1]}, DIN), DIN_HASH)

    def test_manifest_file_or_dataset_folder_is_read(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "_manifest.json"), "w", encoding="utf-8") as f:
                json.dump({"spec_hash": DIN_HASH}, f)
            self.assertEqual(sts.check_manifest(os.path.join(tmp, "_manifest.json"), DIN), DIN_HASH)
            self.assertEqual(sts.check_manifest(tmp, DIN), DIN_HASH)

    def test_manifest_of_another_spec_is_refused_naming_both_hashes(self):
        with self.assertRaises(sts.ManifestMismatchError) as caught:
            sts.check_manifest({"spec_hash": "0" * 64}, DIN)
        self.assertIn("0" * 64, str(caught.exception))
        self.assertIn(DIN_HASH, str(caught.exception))

    def test_manifest_without_a_hash_is_refused(self):
        with self.assertRaises(sts.ManifestMismatchError):
            sts.check_manifest({}, DIN)

    def test_wide_deep_spec_has_another_hash(self):
        with self.assertRaises(sts.ManifestMismatchError):
            sts.check_manifest({"spec_hash": DIN_HASH}, WIDE_DEEP)



class SequenceSpecTest(unittest.TestCase):
    """A sequence spec (issue 14; tests/spec-cases/sequence/din_seq.yaml): its history and per-step companions are
    feature lists of a SequenceExample, parsed with parse_single_sequence_example, the rest is its context. The exported
    module (tests/python/golden/din_seq_example_fmt.py, which the C# tests keep equal to `sparktf spec export`) and the
    library give the same parsing spec."""

    CONTEXT = {
        "label": {"type": "FixedLenFeature", "shape": [], "dtype": "int64", "default_value": None},
        "request_id": {"type": "FixedLenFeature", "shape": [], "dtype": "string", "default_value": None},
        "user_id": {"type": "FixedLenFeature", "shape": [], "dtype": "string", "default_value": None},
        "item_id": {"type": "FixedLenFeature", "shape": [], "dtype": "string", "default_value": None},
    }
    SEQUENCE = {
        "clicked_items": {"type": "FixedLenSequenceFeature", "shape": [], "dtype": "string", "allow_missing": False},
        "clicked_age_s": {"type": "FixedLenSequenceFeature", "shape": [], "dtype": "int64", "allow_missing": False},
        "clicked_categories": {"type": "FixedLenSequenceFeature", "shape": [], "dtype": "string", "allow_missing": False},
    }

    def test_the_companions_name_their_history_and_the_spec_is_a_sequence(self):
        spec = sts.load(DIN_SEQ)
        self.assertTrue(spec.is_sequence)
        self.assertEqual(spec.steps, {"clicked_items": ["clicked_age_s", "clicked_categories"]})
        self.assertEqual(spec.feature("clicked_age_s")["of"], "clicked_items")
        self.assertNotIn("of", spec.feature("clicked_items"))
        self.assertNotIn("of", spec.feature("label"))
        with self.assertRaises(ValueError):
            spec.get_example_fmt()

    def test_the_exported_module_has_the_csharp_hash_and_the_steps(self):
        module = load_exported(GOLDEN_SEQ_TF_PYTHON)
        spec = sts.load(DIN_SEQ)
        self.assertEqual(module.SPEC_HASH, spec.hash)
        self.assertEqual(module.STEPS, spec.steps)
        self.assertEqual(load_exported().STEPS, {})
        self.assertEqual(module.PADDED_SHAPES["clicked_age_s"], [None])
        self.assertEqual(module.PADDING_VALUES["clicked_categories"], "unknown")

    def test_context_and_sequence_features_as_plain_data(self):
        if real_tensorflow() is not None:
            self.skipTest("real TensorFlow builds tf.io objects")
        module = load_exported(GOLDEN_SEQ_TF_PYTHON)
        spec = sts.load(DIN_SEQ)
        self.assertEqual(spec.get_sequence_example_fmt(), (self.CONTEXT, self.SEQUENCE))
        self.assertEqual(module.get_sequence_example_fmt(), (self.CONTEXT, self.SEQUENCE))
        with self.assertRaises(ValueError):
            module.get_example_fmt()

    def test_fixed_len_sequence_features_with_tensorflow(self):
        with fake_tensorflow() as tf:
            for context, sequence in (sts.load(DIN_SEQ).get_sequence_example_fmt(),
                                      load_exported(GOLDEN_SEQ_TF_PYTHON).get_sequence_example_fmt()):
                self.assertEqual(context["label"], tf.io.FixedLenFeature([], tf.int64))
                self.assertEqual(type(context["item_id"]).__name__, "FixedLenFeature")
                self.assertEqual(sequence["clicked_items"], tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=False))
                self.assertEqual(sequence["clicked_age_s"], tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=False))
                self.assertEqual(type(sequence["clicked_categories"]).__name__, "FixedLenSequenceFeature")
                self.assertEqual(list(context), ["label", "request_id", "user_id", "item_id"])
                self.assertEqual(list(sequence), ["clicked_items", "clicked_age_s", "clicked_categories"])

    def test_the_parse_function_parses_a_sequence_example_and_splits_the_label(self):
        with fake_tensorflow() as tf:
            calls = []

            def parse_single_sequence_example(serialized, context_features, sequence_features):
                calls.append((serialized, context_features, sequence_features))
                return {"label": 1, "item_id": "A"}, {"clicked_items": ["C", "A"], "clicked_age_s": [3600, 82800]}

            tf.io.parse_single_sequence_example = parse_single_sequence_example
            spec = sts.load(DIN_SEQ)
            features, label = spec.make_parse_fn()(b"record")
            self.assertEqual(label, 1)
            self.assertEqual(features, {"item_id": "A", "clicked_items": ["C", "A"], "clicked_age_s": [3600, 82800]})
            self.assertEqual(calls[0][0], b"record")
            self.assertEqual((calls[0][1], calls[0][2]), spec.get_sequence_example_fmt())


if __name__ == "__main__":
    unittest.main()


class SeveralLabelsAndWeightTests(unittest.TestCase):
    """Issue 13: conf/multitask.yaml declares three labels and a sample weight (job.sampling.weight)."""

    def setUp(self):
        self.spec = sts.load(os.path.join(ROOT, "conf", "multitask.yaml"))

    def test_labels_and_weight_are_read(self):
        self.assertEqual(self.spec.labels, ["click", "cart", "buy"])
        self.assertEqual(self.spec.label, "click")
        self.assertEqual(self.spec.weight, "sample_weight")
        self.assertEqual(self.spec.description["weight"], "sample_weight")

    def test_split_label_gives_features_a_dict_of_labels_and_the_weight(self):
        parsed = {"click": 1, "cart": 0, "buy": 0, "sample_weight": 1.0, "user_id": "u1", "age": 30}
        features, labels, weight = self.spec.split_label(parsed)
        self.assertEqual(labels, {"click": 1, "cart": 0, "buy": 0})
        self.assertEqual(weight, 1.0)
        self.assertEqual(features, {"user_id": "u1", "age": 30})
        self.assertEqual(len(parsed), 6, "the parsed dict is not changed")

    def test_padded_shapes_split_the_same_way(self):
        (shapes, label_shapes, weight_shape), (values, label_values, weight_value) = \
            self.spec.padded_shapes_and_padding_values(split_label=True)
        self.assertEqual(label_shapes, {"click": [], "cart": [], "buy": []})
        self.assertEqual(weight_shape, [])
        self.assertNotIn("sample_weight", shapes)
        self.assertEqual(shapes["clicked_items_15d"], [None])
        self.assertEqual(set(label_values), {"click", "cart", "buy"})

    def test_no_weight_without_sampling_weight(self):
        spec = sts.loads("spec: 1\nfeatures:\n  - {name: a, dtype: int64, role: label}\n  - {name: b, dtype: int64, role: label}\n"
                         "  - {name: w, dtype: float}\n")
        self.assertIsNone(spec.weight)
        self.assertNotIn("weight", spec.description)
        self.assertEqual(spec.split_label({"a": 1, "b": 0, "w": 2.0}), ({"w": 2.0}, {"a": 1, "b": 0}))

    def test_the_exported_module_splits_alike(self):
        # The tf-python export of a weighted three-label spec: LABELS and WEIGHT drive split_label, as in the library.
        with open(GOLDEN_TF_PYTHON, encoding="utf-8") as f:
            source = f.read()
        source = source.replace('LABELS = ["label"]', 'LABELS = ["click", "cart"]').replace("WEIGHT = None", 'WEIGHT = "w"')
        module = types.ModuleType("exported_multitask")
        exec(compile(source, "exported_multitask", "exec"), module.__dict__)
        self.assertEqual(module.split_label({"click": 1, "cart": 0, "w": 4.0, "x": 3}), ({"x": 3}, {"click": 1, "cart": 0}, 4.0))
        golden = load_exported()
        self.assertEqual(golden.LABELS, ["label"])
        self.assertIsNone(golden.WEIGHT)
        self.assertEqual(golden.split_label({"label": 0, "age": 3}), ({"age": 3}, 0))
