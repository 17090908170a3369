"""Prints, for each spec path given, one JSON line: {"path", "canonical", "hash"} or {"path", "error", "line",
"column"}. Used by the cross-language NUnit test (tests/SparkTfrecord.Spec.Tests/CrossLanguageTests.cs)."""

import json
import sys

import sparktfrecord_spec as sts

for path in sys.argv[1:]:
    try:
        spec = sts.load(path)
        out = {"path": path, "canonical": spec.canonical_json(), "hash": spec.hash}
    except sts.SpecError as e:
        out = {"path": path, "error": str(e), "line": e.line, "column": e.column}
    print(json.dumps(out, ensure_ascii=False))
