"""Reads a SparkTfrecord feature spec (YAML) with the same rules, messages and normalized description as the C#
loader (lib/SparkTfrecord.Spec). Uses PyYAML's composer only (nodes, no object construction) and decides every
scalar's type itself, so this reader and the C# one can never read the same file differently.
"""

import hashlib
import json
import math
import os
import re

import yaml

CURRENT_VERSION = 1

_TOP_KEYS = ["spec", "name", "features", "crosses", "job"]
_FEATURE_KEYS = ["name", "dtype", "shape", "required", "default", "padding", "role", "domain", "train", "drift", "skew", "of"]
_COMPARATOR_KEYS = ["infinity_norm", "jensen_shannon_divergence"]
_TRAIN_KEYS = ["hash_buckets", "embedding", "share", "boundaries", "wide"]
_CROSS_KEYS = ["name", "features", "hash_buckets"]
_RANGE_KEYS = ["min", "max"]
_DTYPES = ["int64", "float", "string", "bytes"]
_SHAPES = ["scalar", "var", "seq"]
_ROLES = ["label", "user", "context", "item", "history", "key", "other"]

_MAX_SIZE = 2**31 - 1
# The largest spec file read and the deepest nesting of mappings and lists, as in C# (SpecLoader.MaxBytes, MaxDepth):
# PyYAML's composer recurses once per level (a deep file would end in RecursionError), and its tree takes many
# times the file's size in memory.
MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_FLOAT32_MAX = 3.4028234663852886e38

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INTEGER = re.compile(r"^-?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^-?(0|[1-9][0-9]*)\.[0-9]+([eE][-+][0-9]+)?$")
_NUMBER_LIKE = re.compile(r"^[-+]?(\.?[0-9]|\.(inf|Inf|INF|nan|NaN|NAN)$)")
_BOOLEANS_1_1 = {
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
    "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
}
_NULLS = {"", "~", "null", "Null", "NULL"}


class SpecError(ValueError):
    """A feature spec that cannot be used; the message is `file:line:column: problem. hint` (1-based)."""

    def __init__(self, file, line, column, problem, hint):
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        self.hint = hint
        text = f"{file}:{line}:{column}: {problem}." if not hint else f"{file}:{line}:{column}: {problem}. {hint}"
        super().__init__(text)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe composer, remembering each node's explicit tag (None when it has none) and refusing nesting
    deeper than MAX_DEPTH before the composer's recursion gets there."""

    sparktf_file = "<spec>"
    sparktf_depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        nested = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        if nested:
            self.sparktf_depth += 1
            if self.sparktf_depth > MAX_DEPTH:
                mark = event.start_mark
                raise SpecError(self.sparktf_file, mark.line + 1, mark.column + 1,
                                f"the YAML nests mappings and lists more than {MAX_DEPTH} deep",
                                "A spec needs a handful of levels; remove the extra nesting.")
        try:
            node = super().compose_node(parent, index)
        finally:
            if nested:
                self.sparktf_depth -= 1
        if not isinstance(event, yaml.AliasEvent):
            node.sparktf_tag = event.tag
        return node


def _check_size(file, size):
    if size > MAX_BYTES:
        raise SpecError(file, 1, 1, f"the file is {size} bytes, more than the {MAX_BYTES} bytes (4 MiB) a spec may have",
                        "A spec declares features and the job's settings; keep data (long value lists, logs) out of it.")


# ---- plain scalars: the spec's own reading, shared with C# (PlainScalars.cs) ----

def _why_not_a_string(plain):
    if plain in _NULLS:
        return "an empty plain value is null, not a string" if plain == "" else f"'{plain}' is read as null"
    if plain in _BOOLEANS_1_1:
        return f"'{plain}' is read as a boolean by YAML 1.1 readers (PyYAML) and as a string or boolean by YAML 1.2 readers"
    if plain in ("=", "<<"):
        return f"'{plain}' has a special meaning in YAML 1.1"
    if _NUMBER_LIKE.match(plain):
        return (f"'{plain}' is read as a number, date or time by YAML readers "
                "(and differently by YAML 1.1 and 1.2: 017, 1:30, 1e5, 1_000)")
    return None


def _why_not_an_integer(plain):
    if len(plain) > 1 and (plain[0] == "0" or plain.startswith("-0")) and all(c.isdigit() and c.isascii() or c == "-" for c in plain):
        return (f"'{plain}' has a leading zero: YAML 1.1 readers take it for an octal number and YAML 1.2 readers "
                "for a decimal one; write it without the leading zero")
    return f"'{plain}' is not a plain decimal integer; write digits only (an optional leading '-'), without '+', '_', ':', a point or quotes"


def _is_plain(node):
    return isinstance(node, yaml.ScalarNode) and node.style is None


def _is_null(node):
    return _is_plain(node) and node.value in _NULLS


def _describe_node(node):
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if _is_null(node):
        return "empty (null)"
    return f"'{node.value}'"


def _show(value):
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _distance(a, b):
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        previous = row[0]
        row[0] = i
        for j in range(1, len(b) + 1):
            current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (0 if a[i - 1] == b[j - 1] else 1))
            previous = current
    return row[len(b)]


def _did_you_mean(value, options, otherwise):
    best = None
    best_distance = None
    for option in options:
        d = _distance(value.lower(), option.lower())
        if best_distance is None or d < best_distance:
            best, best_distance = option, d
    if best is not None and best_distance <= max(1, len(value) // 3):
        return f"Did you mean '{best}'? {otherwise}"
    return otherwise


def _dtype_name(dtype):
    return dtype


class _Reader:
    def __init__(self, file):
        self.file = file

    def fail(self, node, problem, hint):
        return SpecError(self.file, node.start_mark.line + 1, node.start_mark.column + 1, problem, hint)

    # ---- typed reading of nodes ----

    def check_tag(self, node):
        tag = getattr(node, "sparktf_tag", None)
        if tag not in (None, "!"):
            raise self.fail(node, f"the tag '{tag}' is not allowed",
                            "Remove the tag: the spec decides each value's type, and quotes make a string.")

    def mapping(self, node, what, hint):
        self.check_tag(node)
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} is {_describe_node(node)}, not a mapping", hint)
        return node

    def sequence(self, node, what, hint):
        self.check_tag(node)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} is {_describe_node(node)}, not a list", hint)
        return node

    def scalar(self, node, what, expected):
        self.check_tag(node)
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} is {_describe_node(node)}, not {expected}", f"Write {expected} here.")
        return node

    def string(self, node, what):
        s = self.scalar(node, what, "a string")
        if s.style is None:
            why = _why_not_a_string(s.value)
            if why is not None:
                raise self.fail(node, f"{what}: {why}", f'Quote it: "{s.value}".')
        return s.value

    def identifier(self, node, what):
        value = self.string(node, what)
        if not _IDENTIFIER.match(value):
            raise self.fail(node, f"{what} '{value}' is not a valid identifier",
                            "Names become SQL columns and TensorFlow keys: use letters, digits and '_', not starting "
                            "with a digit (^[A-Za-z_][A-Za-z0-9_]*$).")
        return value

    def choice(self, node, options, what, described=None):
        if described is None:
            described = ", ".join(f"'{o}'" for o in options)
        s = self.scalar(node, what, "a word")
        if s.value not in options or s.style not in (None, "'", '"'):
            raise self.fail(node, f"{what} is '{s.value}'", _did_you_mean(s.value, options, f"Use one of {described}."))
        return s.value

    def integer(self, node, what):
        s = self.scalar(node, what, "an integer")
        if s.style is not None:
            raise self.fail(node, f'{what} is the quoted string "{s.value}", not an integer', "Write the number without quotes.")
        if not _INTEGER.match(s.value):
            raise self.fail(node, f"{what} is not an integer: {_why_not_an_integer(s.value)}", "For example 16 or -1.")
        value = int(s.value)
        if value < _INT64_MIN or value > _INT64_MAX:
            raise self.fail(node, f"{what} {s.value} does not fit in 64 bits",
                            "int64 values are from -9223372036854775808 to 9223372036854775807.")
        return value

    def size(self, node, what):
        value = self.integer(node, what)
        if value < 1 or value > _MAX_SIZE:
            raise self.fail(node, f"{what} is {value}", "Give a positive size below 2^31.")
        return value

    def float_(self, node, what):
        s = self.scalar(node, what, "a number")
        if s.style is not None:
            raise self.fail(node, f'{what} is the quoted string "{s.value}", not a number', "Write the number without quotes.")
        if not _INTEGER.match(s.value) and not _FLOAT.match(s.value):
            raise self.fail(node, f"{what} '{s.value}' is not a number both YAML 1.1 and 1.2 read the same way",
                            "Write digits with a point and digits after it, and a signed exponent if any: 0.5, 100.0, "
                            "1.0e+5, -2.5e-3 (not 1e5, .5, 5., .inf or 1_000.0).")
        d = float(s.value)
        if not math.isfinite(d) or abs(d) > _FLOAT32_MAX:
            raise self.fail(node, f"{what} {s.value} is outside the float32 range",
                            "Float features are float32: keep values within ±3.4e+38.")
        return d

    def boolean(self, node, what):
        s = self.scalar(node, what, "true or false")
        if s.style is None and s.value in ("true", "false"):
            return s.value == "true"
        raise self.fail(node, f"{what} is '{s.value}', not true or false",
                        "Write true or false, unquoted (yes, no, on and off mean different things to YAML 1.1 and 1.2 readers).")

    def value(self, node, dtype, what):
        if dtype == "int64":
            return self.integer(node, f"{what} (int64)")
        if dtype == "float":
            return self.float_(node, f"{what} (float)")
        return self.string_value(node, f"{what} ({dtype})")

    def string_value(self, node, what):
        if _is_plain(node) and _why_not_a_string(node.value) is not None and node.value not in _NULLS:
            raise self.fail(node, f"{what} is the unquoted '{node.value}', which YAML readers do not all read as a string",
                            f'Quote it: "{node.value}".')
        return self.string(node, what)

    def check_keys(self, node, known, where):
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, f"a key {where} is {_describe_node(key)}", "Keys are plain words.")
            if key.value not in known:
                raise self.fail(key, f"unknown key '{key.value}' {where}",
                                _did_you_mean(key.value, known, f"Known keys: {', '.join(known)}."))

    @staticmethod
    def get(node, key):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
        return None

    # ---- the spec ----

    def read(self, root):
        top = self.mapping(root, "the spec", "A spec is a mapping with 'spec: 1', 'name:' and 'features:'.")
        self.check_keys(top, _TOP_KEYS, "at the top level of the spec")
        version_node = self.get(top, "spec")
        if version_node is None:
            raise self.fail(top, "the spec has no 'spec:' version", "Add 'spec: 1' as the first line.")
        version = self.integer(version_node, "'spec'")
        if version != CURRENT_VERSION:
            raise self.fail(version_node, f"spec version {version} is not supported",
                            f"This sparktf reads 'spec: {CURRENT_VERSION}'.")
        name_node = self.get(top, "name")
        name = self.string(name_node, "'name'") if name_node is not None else None
        job_node = self.get(top, "job")
        if job_node is not None and not _is_null(job_node) and not isinstance(job_node, yaml.MappingNode):
            raise self.fail(job_node, "'job' is not a mapping",
                            "The job section is a mapping of job settings (sources, label, history, columns, output).")

        features_node = self.get(top, "features")
        if features_node is None:
            raise self.fail(top, "the spec has no 'features:' list",
                            "Add 'features:' with one entry per feature, for example '- {name: label, dtype: int64, role: label}'.")
        feature_list = self.sequence(features_node, "'features'", "List the features, one '- {name: ..., dtype: ...}' entry each.")
        if not feature_list.value:
            raise self.fail(feature_list, "'features' is empty", "Declare at least the label feature.")

        pending = []
        by_name = {}
        for i, child in enumerate(feature_list.value):
            p = self.read_feature(child, i)
            f = p["feature"]
            other = by_name.get(f["name"].lower())
            if other is not None:
                dup = self.get(child, "name")
                if other["name"] == f["name"]:
                    raise self.fail(dup, f"feature '{f['name']}' is declared twice (first at line {other['_line']})",
                                    "Feature names are unique; rename or remove one.")
                raise self.fail(dup, f"feature '{f['name']}' differs from feature '{other['name']}' (line {other['_line']}) only in case",
                                "Names become Spark SQL columns, which ignore case; rename one.")
            by_name[f["name"].lower()] = f
            pending.append(p)

        labels = [p["feature"] for p in pending if p["feature"]["role"] == "label"]
        if not labels:
            raise self.fail(features_node, "no feature has 'role: label'",
                            "Mark the training target, for example '- {name: label, dtype: int64, role: label}'.")
        # Several labels (multi-task models: click, cart, buy) are allowed; the job's `labels:` gives each its rule.
        weight = self.read_weight(job_node, pending)

        self.check_steps(pending)
        self.resolve_shared_embeddings(pending)
        features = [p["feature"] for p in pending]
        crosses_node = self.get(top, "crosses")
        crosses = self.read_crosses(crosses_node, features) if crosses_node is not None else []
        for f in features:
            del f["_line"], f["_column"]
            # `of` only on a sequence history's companion, so every other feature's description (and hash) is unchanged.
            if f["of"] is None:
                del f["of"]
        description = {"spec": version, "name": name, "features": features, "crosses": crosses}
        if weight is not None:
            description["weight"] = weight
        return description

    def read_weight(self, job_node, pending):
        """The sample weight feature the job's `sampling.weight` names (the one key of `job:` the trainer needs: its
        input gives (features, labels, weights)), or None. A scalar float feature that is not a label."""
        if job_node is None or not isinstance(job_node, yaml.MappingNode):
            return None
        sampling = self.get(job_node, "sampling")
        if sampling is None or not isinstance(sampling, yaml.MappingNode):
            return None
        node = self.get(sampling, "weight")
        if node is None or not isinstance(node, yaml.ScalarNode):
            return None
        name = self.identifier(node, "the weight feature")
        features = {p["feature"]["name"]: p["feature"] for p in pending}
        f = features.get(name)
        if f is None:
            raise self.fail(node, f"sampling.weight names '{name}', which is not a feature",
                            _did_you_mean(name, list(features), "Declare the weight as a float feature, for example '- {name: weight, dtype: float}'."))
        if f["role"] == "label":
            raise self.fail(node, f"the weight '{name}' is a label",
                            "A weight is not a training target: give it its own feature with 'role: other' (the default).")
        if f["dtype"] != "float" or f["shape"] != "scalar":
            raise self.fail(node, f"the weight '{name}' must be a scalar float",
                            "The job writes 1 / negative_rate or 1 into it: give it 'dtype: float' and no 'shape'.")
        return name

    def read_feature(self, node, index):
        what = f"feature {index + 1}"
        m = self.mapping(node, what, "Write each feature as a mapping, for example '- {name: age, dtype: int64}'.")
        name_node = self.get(m, "name")
        if name_node is None:
            raise self.fail(m, f"{what} has no 'name'", "Add 'name: <identifier>'.")
        name = self.identifier(name_node, "a feature name")
        what = f"feature '{name}'"
        self.check_keys(m, _FEATURE_KEYS, f"in {what}")

        dtype_node = self.get(m, "dtype")
        if dtype_node is None:
            raise self.fail(m, f"{what} has no 'dtype'", "Add 'dtype: int64', 'float', 'string' or 'bytes'.")
        dtype = self.choice(dtype_node, _DTYPES, f"the dtype of {what}")

        shape, length = "scalar", 1
        shape_node = self.get(m, "shape")
        if shape_node is not None:
            shape, length = self.read_shape(shape_node, what)

        required_node = self.get(m, "required")
        required = True if required_node is None else self.boolean(required_node, f"'required' of {what}")
        role_node = self.get(m, "role")
        role = self.choice(role_node, _ROLES, f"the role of {what}") if role_node is not None else "other"

        domain_node = self.get(m, "domain")
        domain = self.read_domain(domain_node, dtype, what) if domain_node is not None else None

        default = None
        default_node = self.get(m, "default")
        if default_node is not None:
            default = self.read_default(default_node, dtype, shape, length, what)
            self.check_in_domain(default_node, default, domain, what)

        padding_node = self.get(m, "padding")
        if padding_node is not None:
            padding = self.value(padding_node, dtype, f"the padding of {what}")
        else:
            padding = {"int64": 0, "float": 0.0}.get(dtype, "0")

        train_node = self.get(m, "train")
        train = {"hash_buckets": None, "embedding": None, "share": None, "boundaries": None, "wide": False}
        buckets_node = embedding_node = None
        if train_node is not None:
            train, buckets_node, embedding_node = self.read_train(train_node, dtype, what)

        if role == "label":
            at = self.get(m, "role")
            if shape != "scalar" or dtype not in ("int64", "float"):
                raise self.fail(at, f"the label '{name}' must be a scalar int64 or float",
                                "Give the label 'dtype: int64' (clicks) or 'dtype: float' and no 'shape'.")
            if not required or default is not None or train_node is not None:
                raise self.fail(at, f"the label '{name}' cannot be optional, have a default or training hints",
                                "Every record has its label; remove 'required: false', 'default' and 'train' from it.")

        if not required and default is None and shape in ("scalar", "fixed"):
            raise self.fail(required_node, f"optional {what} has no default",
                            "TensorFlow's FixedLenFeature cannot parse a record without the feature unless it has a "
                            "default_value: add 'default:' or drop 'required: false'.")

        # drift: / skew: thresholds are checked as sparktf checks them; the training side does not use them, and they
        # are not part of the description (nor of the spec hash).
        for key in ("drift", "skew"):
            comparator_node = self.get(m, key)
            if comparator_node is not None:
                self.read_comparator(comparator_node, key, dtype, shape, what)

        of = self.read_of(m, shape, role, what)
        feature = {
            "name": name, "dtype": dtype, "shape": shape, "length": length, "required": required,
            "default": default, "padding": padding, "role": role, "domain": domain, "train": train, "of": of,
            "_line": m.start_mark.line + 1, "_column": m.start_mark.column + 1,
        }
        return {"feature": feature, "train_node": train_node, "buckets_node": buckets_node, "embedding_node": embedding_node,
                "of_node": self.get(m, "of")}

    def read_of(self, m, shape, role, what):
        # Sequence features (issue 14): `shape: seq` is for histories; `of: H` makes a per-step companion of the
        # sequence history H. C#'s SpecReader.ReadOf.
        if shape == "seq" and role != "history":
            raise self.fail(self.get(m, "shape"), f"{what} has 'shape: seq' but is not a history (role: {role})",
                            "A SequenceExample feature list holds a history, one frame per event: give it 'role: history', "
                            "or use 'shape: var' for a list in the context.")
        of_node = self.get(m, "of")
        if of_node is None:
            return None
        if shape != "seq":
            raise self.fail(of_node, f"'of' of {what} is for per-step companions of a sequence history",
                            "Give the companion 'shape: seq' and 'role: history', or remove 'of'.")
        return self.identifier(of_node, "the history 'of' names")

    def check_steps(self, pending):
        # Each `of:` names a sequence history of the spec that is not itself a companion. C#'s SpecReader.CheckSteps.
        by_name = {p["feature"]["name"]: p["feature"] for p in pending}
        for p in pending:
            f = p["feature"]
            of = f["of"]
            if of is None:
                continue
            what = f"feature '{f['name']}'"
            history = by_name.get(of)
            if history is None:
                histories = [x["feature"]["name"] for x in pending if x["feature"]["shape"] == "seq" and x["feature"]["of"] is None]
                raise self.fail(p["of_node"], f"{what} is a step of '{of}', which is not a feature",
                                _did_you_mean(of, histories, "Name a feature with 'shape: seq' and 'role: history' declared in this spec."))
            if history["shape"] != "seq" or history["of"] is not None:
                itself = "" if history["of"] is None else f" (it is itself a step of '{history['of']}')"
                raise self.fail(p["of_node"], f"{what} is a step of '{of}', which is not a sequence history{itself}",
                                "'of' names a feature with 'shape: seq' and 'role: history' and no 'of' of its own.")

    def read_comparator(self, node, key, dtype, shape, what):
        m = self.mapping(node, f"'{key}' of {what}", f"Write it as a mapping, for example '{key}: {{infinity_norm: 0.1}}'.")
        self.check_keys(m, _COMPARATOR_KEYS, f"in '{key}' of {what}")
        infinity_node = self.get(m, "infinity_norm")
        jensen_node = self.get(m, "jensen_shannon_divergence")
        if infinity_node is None and jensen_node is None:
            raise self.fail(m, f"'{key}' of {what} sets no threshold",
                            "Add 'infinity_norm: 0.1' (categorical values) or 'jensen_shannon_divergence: 0.1' (numbers).")
        for name, threshold_node in (("infinity_norm", infinity_node), ("jensen_shannon_divergence", jensen_node)):
            if threshold_node is not None:
                self.threshold(threshold_node, name, key, what)
        if infinity_node is not None and dtype in ("float", "int64"):
            raise self.fail(infinity_node, f"infinity_norm in '{key}' of {what} compares the shares of string values, "
                                           f"and {'a float' if dtype == 'float' else 'an int64'} feature has none",
                            "Use jensen_shannon_divergence for a number feature (it compares histograms).")
        if jensen_node is not None and dtype in ("string", "bytes") and shape in ("scalar", "fixed"):
            kind = "scalar" if shape == "scalar" else "fixed-shape"
            raise self.fail(jensen_node, f"jensen_shannon_divergence in '{key}' of {what} compares histograms of numbers, "
                                         f"and a {kind} string feature has none",
                            "Use infinity_norm for a string feature (a variable-length string list may also set "
                            "jensen_shannon_divergence: it compares its values per record).")

    def threshold(self, node, name, key, what):
        label = f"{name} in '{key}' of {what}"
        s = self.scalar(node, label, "a number")
        if s.style is not None:
            raise self.fail(node, f'{label} is the quoted string "{s.value}", not a number', "Write the number without quotes.")
        if not _INTEGER.match(s.value) and not _FLOAT.match(s.value):
            raise self.fail(node, f"{label} '{s.value}' is not a number both YAML 1.1 and 1.2 read the same way",
                            "Write digits with a point and digits after it, and a signed exponent if any: 0.5, 100.0, "
                            "1.0e+5, -2.5e-3 (not 1e5, .5, 5., .inf or 1_000.0).")
        value = float(s.value)
        if not 0 <= value <= 1:
            raise self.fail(node, f"{label} is {_describe_node(node)}, outside 0..1",
                            "Both distances lie between 0 (the same distribution) and 1: give a threshold such as 0.1.")
        return value

    def read_shape(self, node, what):
        if _is_plain(node) and _INTEGER.match(node.value):
            n = self.integer(node, f"the shape of {what}")
            if n < 1 or n > 1 << 20:
                raise self.fail(node, f"the shape of {what} is {n} values",
                                "A fixed shape is a number of values from 1 to 1048576; use 'var' for variable length.")
            return "fixed", n
        choice = self.choice(node, _SHAPES, f"the shape of {what}",
                             "'scalar' (one value), a number N (exactly N values), 'var' (variable length) or 'seq' "
                             "(a SequenceExample feature list)")
        return {"scalar": ("scalar", 1), "var": ("var", None), "seq": ("seq", None)}[choice]

    def read_default(self, node, dtype, shape, length, what):
        label = f"the default of {what}"
        if shape == "scalar":
            return self.value(node, dtype, label)
        if shape == "fixed":
            if isinstance(node, yaml.SequenceNode):
                if len(node.value) != length:
                    raise self.fail(node, f"{label} has {len(node.value)} values but the shape is {length}",
                                    f"Give exactly {length} values, or one value to repeat.")
                return [self.value(c, dtype, label) for c in node.value]
            one = self.value(node, dtype, label)
            return [one] * length
        raise self.fail(node, f"{what} has variable length and so no default",
                        "A record without it holds an empty list; use 'padding' for the value padded_batch fills in.")

    def read_domain(self, node, dtype, what):
        label = f"the domain of {what}"
        if isinstance(node, yaml.SequenceNode):
            if dtype == "float":
                raise self.fail(node, f"{label} lists values, but a float feature's domain is a range",
                                "Write 'domain: {min: 0.0, max: 1.0}'.")
            if not node.value:
                raise self.fail(node, f"{label} is empty", "List the allowed values, or remove 'domain'.")
            values = []
            for child in node.value:
                v = self.value(child, dtype, f"a value in {label}")
                if v in values:
                    raise self.fail(child, f"{label} lists {_show(v)} twice", "List each value once.")
                values.append(v)
            return {"values": values}
        if isinstance(node, yaml.MappingNode):
            if dtype in ("string", "bytes"):
                raise self.fail(node, f"{label} is a range, but a string feature's domain is a list of values",
                                "Write 'domain: [\"a\", \"b\"]'.")
            self.check_keys(node, _RANGE_KEYS, f"in {label}")
            min_node = self.get(node, "min")
            max_node = self.get(node, "max")
            if min_node is None and max_node is None:
                raise self.fail(node, f"{label} has neither 'min' nor 'max'", "Give 'min', 'max' or both.")
            lo = None if min_node is None else self.value(min_node, dtype, f"the minimum of {label}")
            hi = None if max_node is None else self.value(max_node, dtype, f"the maximum of {label}")
            if lo is not None and hi is not None and lo > hi:
                raise self.fail(min_node, f"{label} has min {_show(lo)} above max {_show(hi)}", "Swap them.")
            return {"min": lo, "max": hi}
        raise self.fail(node, f"{label} is neither a list of values nor a range",
                        "Write 'domain: [\"a\", \"b\"]' for strings or integers, or 'domain: {min: 0, max: 120}' for numbers.")

    def check_in_domain(self, node, value, domain, what):
        if value is None or domain is None:
            return
        for v in value if isinstance(value, list) else [value]:
            if not domain_contains(domain, v):
                raise self.fail(node, f"the default {_show(v)} of {what} is outside its domain",
                                "Make the default one of the domain's values, or widen the domain.")

    def read_train(self, node, dtype, what):
        m = self.mapping(node, f"'train' of {what}", "Write 'train: {hash_buckets: 1000, embedding: 16}'.")
        self.check_keys(m, _TRAIN_KEYS, f"in 'train' of {what}")
        buckets_node = self.get(m, "hash_buckets")
        embedding_node = self.get(m, "embedding")
        buckets = None if buckets_node is None else self.size(buckets_node, f"'hash_buckets' of {what}")
        if buckets is not None and dtype == "float":
            raise self.fail(buckets_node, f"{what} is a float feature and cannot be hashed",
                            "Bucketize a float with 'boundaries: [...]' instead.")
        embedding = None if embedding_node is None else self.size(embedding_node, f"'embedding' of {what}")
        share_node = self.get(m, "share")
        share = self.identifier(share_node, "a shared embedding name") if share_node is not None else None
        if share is not None and dtype == "float":
            raise self.fail(share_node, f"{what} is a float feature and cannot share an embedding",
                            "Shared embeddings look up ids: use them on string or int64 features.")
        boundaries = None
        boundaries_node = self.get(m, "boundaries")
        if boundaries_node is not None:
            if dtype in ("string", "bytes"):
                raise self.fail(boundaries_node, f"{what} is a string feature and cannot be bucketized",
                                "Use 'hash_buckets' or a 'domain' vocabulary for strings.")
            seq = self.sequence(boundaries_node, f"'boundaries' of {what}", "Write 'boundaries: [18, 25, 36]'.")
            if not seq.value:
                raise self.fail(seq, f"'boundaries' of {what} is empty", "List at least one boundary, or remove 'boundaries'.")
            boundaries = []
            for child in seq.value:
                b = self.value(child, "float", f"a boundary of {what}")
                if boundaries and b <= boundaries[-1]:
                    raise self.fail(child, f"the boundaries of {what} do not increase at {_show(b)}", "Boundaries are strictly increasing.")
                boundaries.append(b)
        wide_node = self.get(m, "wide")
        wide = wide_node is not None and self.boolean(wide_node, f"'wide' of {what}")
        train = {"hash_buckets": buckets, "embedding": embedding, "share": share, "boundaries": boundaries, "wide": wide}
        return train, buckets_node, embedding_node

    def resolve_shared_embeddings(self, pending):
        groups = {}
        for p in pending:
            share = p["feature"]["train"]["share"]
            if share is not None:
                groups.setdefault(share, []).append(p)
        for share, group in groups.items():
            first = group[0]
            buckets = embedding = None
            buckets_from = embedding_from = None
            for p in group:
                f = p["feature"]
                if (f["dtype"] in ("string", "bytes")) != (first["feature"]["dtype"] in ("string", "bytes")):
                    raise self.fail(p["train_node"],
                                    f"feature '{f['name']}' ({f['dtype']}) shares embedding '{share}' with "
                                    f"'{first['feature']['name']}' ({first['feature']['dtype']})",
                                    "Features that share an embedding hold the same kind of ids; give them the same dtype.")
                b = f["train"]["hash_buckets"]
                if b is not None:
                    if buckets is not None and buckets != b:
                        raise self.fail(p["buckets_node"],
                                        f"feature '{f['name']}' has hash_buckets {b} but shares embedding '{share}' with "
                                        f"'{buckets_from['feature']['name']}' (hash_buckets {buckets})",
                                        "A shared embedding has one size: declare hash_buckets once, on one member, or "
                                        "give all members the same value.")
                    buckets, buckets_from = b, p
                e = f["train"]["embedding"]
                if e is not None:
                    if embedding is not None and embedding != e:
                        raise self.fail(p["embedding_node"],
                                        f"feature '{f['name']}' has embedding {e} but shares embedding '{share}' with "
                                        f"'{embedding_from['feature']['name']}' (embedding {embedding})",
                                        "A shared embedding has one dimension: declare it once, on one member, or give "
                                        "all members the same value.")
                    embedding, embedding_from = e, p
            if embedding is None:
                raise self.fail(first["train_node"], f"shared embedding '{share}' has no dimension",
                                f"Give one of its features 'embedding: N' (for example on '{first['feature']['name']}').")
            for p in group:
                p["feature"]["train"]["hash_buckets"] = buckets
                p["feature"]["train"]["embedding"] = embedding

    def read_crosses(self, node, features):
        seq = self.sequence(node, "'crosses'", "Write 'crosses: [{features: [user_id, item_id], hash_buckets: 100000}]'.")
        by_name = {f["name"]: f for f in features}
        crosses = []
        names = set()
        for child in seq.value:
            m = self.mapping(child, "a cross", "Write '- {features: [a, b], hash_buckets: 1000}'.")
            self.check_keys(m, _CROSS_KEYS, "in a cross")
            list_node = self.get(m, "features")
            if list_node is None:
                raise self.fail(m, "a cross has no 'features'", "List the crossed features: 'features: [a, b]'.")
            items = self.sequence(list_node, "'features' of a cross", "Write 'features: [a, b]'.")
            if len(items.value) < 2:
                raise self.fail(items, "a cross needs at least two features", "List two or more features to cross.")
            crossed = []
            for item in items.value:
                name = self.identifier(item, "a crossed feature")
                f = by_name.get(name)
                if f is None:
                    raise self.fail(item, f"a cross names '{name}', which is not a feature",
                                    _did_you_mean(name, list(by_name), "Cross features declared under 'features'."))
                if f["role"] == "label":
                    raise self.fail(item, f"a cross names the label '{name}'", "The label is not a model input; cross input features only.")
                if f["dtype"] == "float" and f["train"]["boundaries"] is None:
                    raise self.fail(item, f"a cross names float feature '{name}', which has no boundaries",
                                    f"Give '{name}' 'train: {{boundaries: [...]}}' so it can be bucketized and crossed.")
                if name in crossed:
                    raise self.fail(item, f"a cross names '{name}' twice", "Cross distinct features.")
                crossed.append(name)
            buckets_node = self.get(m, "hash_buckets")
            if buckets_node is None:
                raise self.fail(m, "a cross has no 'hash_buckets'", "Crosses are hashed: add 'hash_buckets: N'.")
            buckets = self.size(buckets_node, "'hash_buckets' of a cross")
            name_node = self.get(m, "name")
            cross_name = self.identifier(name_node, "a cross name") if name_node is not None else "_x_".join(crossed)
            if cross_name in names:
                raise self.fail(name_node if name_node is not None else m, f"two crosses are named '{cross_name}'",
                                "Give each cross its own 'name'.")
            names.add(cross_name)
            crosses.append({"name": cross_name, "features": crossed, "hash_buckets": buckets})
        return crosses


def domain_contains(domain, value):
    """Whether `value` (int, float or str) lies in a normalized domain ({"values": [...]} or {"min", "max"})."""
    if "values" in domain:
        return value in domain["values"]
    lo, hi = domain["min"], domain["max"]
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def _check_duplicate_keys(node, file, seen=None):
    # YamlDotNet refuses a repeated key anywhere in the document (the job: section too); so does this reader.
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys = set()
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in keys:
                    raise SpecError(file, k.start_mark.line + 1, k.start_mark.column + 1,
                                    f"YAML syntax error: Duplicate key {k.value}",
                                    "Each key may appear once in a mapping; remove or rename the repeated one.")
                keys.add(k.value)
            _check_duplicate_keys(k, file, seen)
            _check_duplicate_keys(v, file, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, file, seen)


def describe_text(text, file="<spec>"):
    """The normalized feature description of spec text (what `sparktf spec export --target json` prints)."""
    _check_size(file, len(text.encode("utf-8")))
    loader = _Loader(text)
    loader.sparktf_file = file
    try:
        documents = []
        while loader.check_node():
            documents.append(loader.get_node())
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise SpecError(file, line, column, f"YAML syntax error: {what}",
                        "Fix the YAML syntax (indentation, quotes, ':' followed by a space).") from e
    except yaml.YAMLError as e:
        raise SpecError(file, 0, 0, f"YAML syntax error: {e}", "Fix the YAML syntax.") from e
    finally:
        loader.dispose()
    if len(documents) != 1:
        raise SpecError(file, 1, 1, "the file is empty" if not documents else "the file holds several YAML documents",
                        "A spec is one YAML mapping starting with 'spec: 1'.")
    root = documents[0]
    _check_duplicate_keys(root, file)
    return _Reader(file).read(root)


def describe(path):
    """The normalized feature description of the spec file at `path`."""
    with open(path, encoding="utf-8") as f:
        _check_size(str(path), os.fstat(f.fileno()).st_size)
        text = f.read()
    return describe_text(text, str(path))


def canonical_json(obj):
    """The canonical JSON the spec hash is taken over: keys sorted, no spaces, non-ASCII as is."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def description_hash(description):
    """SHA-256 hex of the UTF-8 canonical JSON of a normalized description (the spec hash)."""
    return hashlib.sha256(canonical_json(description).encode("utf-8")).hexdigest()
