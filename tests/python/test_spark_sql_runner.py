"""Tests of submit/spark_sql_runner.py: statement splitting, running with a stand-in session, reports, exit codes.

Run with Debian's Python (no pyspark needed):  /usr/bin/python3 -m unittest discover -s tests/python -v
"""

import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SUBMIT = os.path.normpath(os.path.join(HERE, "..", "..", "submit"))
RUNNER = os.path.join(SUBMIT, "spark_sql_runner.py")
# Cases the runner's splitter and the grammar check's splitter (tests/sql-grammar/split-statements.mjs) share.
SPLIT_CASES = os.path.normpath(os.path.join(HERE, "..", "sql-grammar", "fixtures", "split-cases.json"))
sys.path.insert(0, SUBMIT)

import spark_sql_runner as runner  # noqa: E402


def texts(sql):
    return [s.text for s in runner.split_statements(sql)]


class SplitStatementsTest(unittest.TestCase):
    def test_semicolons_separate_statements_and_the_last_needs_none(self):
        self.assertEqual(texts("SELECT 1; SELECT 2;\nSELECT 3"), ["SELECT 1", "SELECT 2", "SELECT 3"])

    def test_a_trailing_semicolon_makes_no_empty_statement(self):
        self.assertEqual(texts("SELECT 1;\n"), ["SELECT 1"])

    def test_empty_statements_and_blank_scripts_are_skipped(self):
        self.assertEqual(texts(";; SELECT 1 ;  ;\n\t;SELECT 2;;"), ["SELECT 1", "SELECT 2"])
        self.assertEqual(texts(""), [])
        self.assertEqual(texts("  \n\t "), [])

    def test_a_semicolon_in_a_single_quoted_string_is_not_a_separator(self):
        self.assertEqual(texts("SELECT 'a;b' AS x; SELECT 2"), ["SELECT 'a;b' AS x", "SELECT 2"])

    def test_a_semicolon_in_a_double_quoted_string_is_not_a_separator(self):
        self.assertEqual(texts('SELECT "a;b" AS x; SELECT 2'), ['SELECT "a;b" AS x', "SELECT 2"])

    def test_a_backslash_escaped_quote_does_not_close_the_string(self):
        self.assertEqual(texts(r"SELECT 'it\'s; fine'; SELECT 2"), [r"SELECT 'it\'s; fine'", "SELECT 2"])
        self.assertEqual(texts(r'SELECT "say \"hi;\""; SELECT 2'), [r'SELECT "say \"hi;\""', "SELECT 2"])

    def test_an_escaped_backslash_before_the_quote_closes_the_string(self):
        self.assertEqual(texts(r"SELECT 'C:\\'; SELECT ';'"), [r"SELECT 'C:\\'", "SELECT ';'"])

    def test_a_doubled_quote_inside_a_string_keeps_the_split(self):
        self.assertEqual(texts("SELECT 'it''s;x'; SELECT 2"), ["SELECT 'it''s;x'", "SELECT 2"])

    def test_the_other_quote_kind_inside_a_string_is_plain_text(self):
        self.assertEqual(texts("SELECT 'a\"b;c'; SELECT \"d'e;f\""), ["SELECT 'a\"b;c'", "SELECT \"d'e;f\""])

    def test_raw_strings_take_backslashes_literally(self):
        self.assertEqual(texts(r"SELECT r'C:\'; SELECT R'\d;'"), [r"SELECT r'C:\'", r"SELECT R'\d;'"])

    def test_an_identifier_ending_in_r_does_not_start_a_raw_string(self):
        self.assertEqual(texts(r"SELECT upper'\';x'; SELECT 2"), [r"SELECT upper'\';x'", "SELECT 2"])

    def test_a_semicolon_in_a_backtick_identifier_is_not_a_separator(self):
        self.assertEqual(texts("SELECT 1 AS `a;b`; SELECT `c``;d`"), ["SELECT 1 AS `a;b`", "SELECT `c``;d`"])

    def test_backslashes_in_backtick_identifiers_escape_nothing(self):
        self.assertEqual(texts("SELECT `a\\`; SELECT 2"), ["SELECT `a\\`", "SELECT 2"])

    def test_a_semicolon_in_a_line_comment_is_not_a_separator(self):
        self.assertEqual(texts("SELECT 1 -- one; two\n, 2; SELECT 3"), ["SELECT 1 -- one; two\n, 2", "SELECT 3"])

    def test_quotes_in_a_line_comment_open_nothing(self):
        self.assertEqual(texts("SELECT 1 -- it's `odd\n; SELECT 2"), ["SELECT 1 -- it's `odd", "SELECT 2"])

    def test_a_line_comment_continues_after_a_trailing_backslash_as_in_sparks_lexer(self):
        self.assertEqual(texts("SELECT 1 -- a \\\n b; c\n; SELECT 2"), ["SELECT 1 -- a \\\n b; c", "SELECT 2"])

    def test_a_semicolon_in_a_block_comment_is_not_a_separator(self):
        self.assertEqual(texts("SELECT /* a; b */ 1; SELECT 2"), ["SELECT /* a; b */ 1", "SELECT 2"])

    def test_block_comments_nest_as_in_spark_3(self):
        self.assertEqual(texts("SELECT /* a /* b; */ c; */ 1; SELECT 2"), ["SELECT /* a /* b; */ c; */ 1", "SELECT 2"])

    def test_quotes_and_dashes_in_a_block_comment_open_nothing(self):
        self.assertEqual(texts("/* it's -- \" ` */ SELECT 1; SELECT 2"), ["/* it's -- \" ` */ SELECT 1", "SELECT 2"])

    def test_comment_markers_inside_strings_are_text(self):
        self.assertEqual(texts("SELECT '--;', '/*;', \"*/;\"; SELECT 2"), ["SELECT '--;', '/*;', \"*/;\"", "SELECT 2"])

    def test_statements_made_only_of_comments_are_empty(self):
        self.assertEqual(texts("-- header;\n/* block; */\n;\nSELECT 1;\n-- trailing comment"),
                         ["SELECT 1"])

    def test_a_hint_is_kept_in_the_statement_text(self):
        sql = "INSERT OVERWRITE DIRECTORY '/o' USING parquet SELECT /*+ REPARTITION(16, request_id) */ * FROM s"
        self.assertEqual(texts(sql + ";"), [sql])

    def test_minus_and_division_operators_are_not_comments(self):
        self.assertEqual(texts("SELECT 4 - -1, 8/2, a-1; SELECT 2"), ["SELECT 4 - -1, 8/2, a-1", "SELECT 2"])

    def test_statements_are_numbered_from_one_and_located_at_their_first_code_character(self):
        sql = "-- header\n\nSELECT 1;\n  /* c */ SELECT\n2;\n\n;   SELECT 3"
        statements = runner.split_statements(sql)
        self.assertEqual([(s.index, s.line, s.column) for s in statements], [(1, 3, 1), (2, 4, 11), (3, 7, 5)])

    def test_windows_line_endings_and_a_byte_order_mark_are_accepted(self):
        statements = runner.split_statements("\ufeffSELECT 1;\r\n-- c;\r\nSELECT 2;\r\n")
        self.assertEqual([s.text for s in statements], ["SELECT 1", "-- c;\r\nSELECT 2"])
        self.assertEqual(statements[1].line, 3)

    def test_multibyte_text_is_kept(self):
        self.assertEqual(texts("SELECT coalesce(gender, '未知;') AS `性别`; SELECT 2"),
                         ["SELECT coalesce(gender, '未知;') AS `性别`", "SELECT 2"])

    def test_an_unterminated_string_is_an_error_naming_where_it_starts(self):
        with self.assertRaises(runner.SplitError) as caught:
            runner.split_statements("SELECT 1;\nSELECT 'abc;\nSELECT 3")
        self.assertEqual((caught.exception.line, caught.exception.column), (2, 8))
        self.assertIn("unterminated string starting at line 2, column 8", str(caught.exception))

    def test_a_string_ending_in_an_escaped_quote_is_unterminated(self):
        self.assertRaises(runner.SplitError, runner.split_statements, r"SELECT 'abc\'")

    def test_an_unterminated_backtick_identifier_is_an_error(self):
        with self.assertRaises(runner.SplitError) as caught:
            runner.split_statements("SELECT `abc; SELECT 2")
        self.assertEqual(caught.exception.what, "backtick identifier")

    def test_an_unterminated_block_comment_is_an_error_even_when_nested(self):
        with self.assertRaises(runner.SplitError) as caught:
            runner.split_statements("SELECT 1; /* a /* b */ SELECT 2;")
        self.assertEqual((caught.exception.what, caught.exception.line, caught.exception.column), ("/* comment", 1, 11))

    def test_a_script_shaped_like_the_renderers_output_splits_into_its_statements(self):
        sql = textwrap.dedent("""\
            SET spark.sql.session.timeZone = Asia/Shanghai;
            CREATE OR REPLACE TEMPORARY VIEW impressions USING parquet OPTIONS (path 'hdfs:///logs/impressions/dt=2024-05-01');
            CREATE OR REPLACE TEMPORARY VIEW clicks USING csv OPTIONS (path 's3a://b/clicks', sep ';', quote '"', escape '\\\\');
            CREATE OR REPLACE TEMPORARY VIEW history AS
            SELECT user_id, ts,
              collect_list(item_id) OVER (PARTITION BY user_id ORDER BY ts
                RANGE BETWEEN INTERVAL 15 DAYS PRECEDING AND INTERVAL 1 MICROSECOND PRECEDING) AS h
            FROM events;
            CACHE TABLE samples AS SELECT * FROM history;
            INSERT OVERWRITE DIRECTORY 'hdfs:///out/din/dt=2024-05-01' USING tfrecord
              OPTIONS (recordType 'Example', codec 'org.apache.hadoop.io.compress.GzipCodec')
            SELECT * FROM samples;
            SELECT count(*) AS sparktf_samples_written FROM samples;
            """)
        statements = runner.split_statements(sql)
        self.assertEqual(len(statements), 7)
        self.assertEqual([s.line for s in statements], [1, 2, 3, 4, 9, 10, 13])
        self.assertIn("sep ';'", statements[2].text)
        self.assertTrue(statements[6].text.endswith("FROM samples"))


class SharedSplitCasesTest(unittest.TestCase):
    def test_every_shared_case_splits_as_recorded(self):
        with io.open(SPLIT_CASES, encoding="utf-8") as handle:
            cases = json.load(handle)
        self.assertGreater(len(cases), 20)
        for case in cases:
            with self.subTest(case["name"]):
                if "error" in case:
                    with self.assertRaises(runner.SplitError) as caught:
                        runner.split_statements(case["sql"])
                    error = caught.exception
                    self.assertEqual({"what": error.what, "line": error.line, "column": error.column}, case["error"])
                else:
                    got = [{"text": s.text, "line": s.line, "column": s.column}
                           for s in runner.split_statements(case["sql"])]
                    self.assertEqual(got, case["statements"])


class FakeFrame(object):
    def __init__(self, columns=(), rows=()):
        self.columns = list(columns)
        self.rows = list(rows)
        self.took = None
        self.collected = False

    def take(self, n):
        self.took = n
        return self.rows[:n]

    def collect(self):
        self.collected = True
        return list(self.rows)


class FakeSession(object):
    """Stands in for SparkSession: records statements; results and failures are keyed by a text fragment."""

    def __init__(self, results=None, fail_on=None):
        self.results = results or {}
        self.fail_on = fail_on
        self.executed = []
        self.frames = []

    def sql(self, text):
        self.executed.append(text)
        if self.fail_on and self.fail_on in text:
            raise RuntimeError("[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.\nmore detail")
        for fragment, frame in self.results.items():
            if fragment in text:
                self.frames.append(frame)
                return frame
        frame = FakeFrame()
        self.frames.append(frame)
        return frame


class Row(tuple):
    """Like pyspark.sql.Row: a tuple with asDict()."""

    def asDict(self):
        return {}


def run_main(args, session, script_text=None):
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        if script_text is not None:
            path = os.path.join(folder, "job.sql")
            with io.open(path, "w", encoding="utf-8") as handle:
                handle.write(script_text)
            args = [path if a == "{script}" else a.replace("{dir}", folder) for a in args]
        else:
            args = [a.replace("{dir}", folder) for a in args]
        code = runner.main(args, session_factory=lambda: session, out=out, err=err)
        reports = {}
        for name in os.listdir(folder):
            if name != "job.sql":
                with open(os.path.join(folder, name)) as handle:
                    reports[name] = handle.read()
    return code, out.getvalue(), err.getvalue(), reports


REPORTING_SCRIPT = textwrap.dedent("""\
    CREATE OR REPLACE TEMPORARY VIEW s AS SELECT 1 AS label;
    CACHE TABLE s;
    INSERT OVERWRITE DIRECTORY '/out' USING tfrecord OPTIONS (recordType 'Example') SELECT * FROM s;
    SELECT count(*) AS sparktf_samples_written FROM s
    """)


class RunTest(unittest.TestCase):
    def test_every_statement_runs_in_order_and_the_count_is_printed_and_reported(self):
        session = FakeSession({"sparktf_samples_written": FakeFrame(["sparktf_samples_written"], [Row((1234,))])})
        code, out, err, reports = run_main(["{script}", "--report", "{dir}/_sparktf_report"], session,
                                           REPORTING_SCRIPT)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(session.executed), 4)
        self.assertTrue(session.executed[1] == "CACHE TABLE s")
        self.assertEqual(out, "SPARKTF_SAMPLES_WRITTEN=1234\n")
        self.assertEqual(reports, {"_sparktf_report": "SPARKTF_SAMPLES_WRITTEN=1234\n"})
        self.assertTrue(session.frames[-1].collected)

    def test_each_statement_logs_its_start_and_end_with_index_line_and_time(self):
        session = FakeSession({"sparktf_samples_written": FakeFrame(["sparktf_samples_written"], [Row((5,))])})
        code, _, err, _ = run_main(["{script}"], session, REPORTING_SCRIPT)
        self.assertEqual(code, 0, err)
        for index, line in ((1, 1), (2, 2), (3, 3), (4, 4)):
            self.assertRegex(err, r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d sparktf-runner: statement %d/4 \(line %d\) start: "
                             % (index, line))
            self.assertRegex(err, r"statement %d/4 \(line %d\) done in \d+\.\ds" % (index, line))
        self.assertIn("statement 2/4 (line 2) start: CACHE TABLE s\n", err)

    def test_the_report_column_is_found_whatever_its_case_and_position(self):
        frame = FakeFrame(["files", "SPARKTF_Samples_Written"], [Row((16, 7))])
        code, out, err, _ = run_main(["{script}"], FakeSession({"Written": frame}),
                                     "SELECT 16 AS files, count(*) AS SPARKTF_Samples_Written FROM s")
        self.assertEqual((code, out), (0, "SPARKTF_SAMPLES_WRITTEN=7\n"), err)

    def test_a_dict_row_is_read_by_column_name(self):
        frame = FakeFrame(["sparktf_samples_written"], [{"sparktf_samples_written": 0}])
        code, out, err, _ = run_main(["{script}"], FakeSession({"written": frame}),
                                     "SELECT 0 AS sparktf_samples_written")
        self.assertEqual((code, out), (0, "SPARKTF_SAMPLES_WRITTEN=0\n"), err)

    def test_a_failing_statement_stops_the_run_with_exit_1_naming_its_index_and_line(self):
        session = FakeSession(fail_on="nope")
        script = "SELECT 1;\n\nSELECT * FROM nope;\nSELECT 3"
        code, out, err, _ = run_main(["{script}"], session, script)
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertEqual(len(session.executed), 2)  # the third statement never runs
        self.assertIn("statement 2/3 (line 3) failed after", err)
        self.assertIn("RuntimeError: [TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.", err)
        self.assertIn("failing statement 2 of 3, from line 3:\nSELECT * FROM nope", err)

    def test_a_report_of_several_rows_fails_the_statement(self):
        frame = FakeFrame(["sparktf_samples_written"], [Row((1,)), Row((2,))])
        code, out, err, _ = run_main(["{script}"], FakeSession({"written": frame}),
                                     "SELECT x AS sparktf_samples_written FROM t")
        self.assertEqual((code, out), (1, ""))
        self.assertIn("returned 2 rows; expected exactly one", err)

    def test_a_null_or_negative_or_fractional_report_fails_the_statement(self):
        for value in (None, -1, 2.5, "12", True):
            frame = FakeFrame(["sparktf_samples_written"], [Row((value,))])
            code, out, err, _ = run_main(["{script}"], FakeSession({"written": frame}),
                                         "SELECT 1 AS sparktf_samples_written")
            self.assertEqual((code, out), (1, ""), value)
            self.assertIn("expected a non-negative integer", err)

    def test_report_requested_but_no_statement_reports_exits_3(self):
        code, out, err, reports = run_main(["{script}", "--report", "{dir}/r"], FakeSession(), "SELECT 1")
        self.assertEqual((code, out, reports), (3, "", {}))
        self.assertIn("no statement returned a sparktf_samples_written column", err)

    def test_without_report_option_a_script_with_no_report_succeeds(self):
        code, out, err, _ = run_main(["{script}"], FakeSession(), "CREATE TEMPORARY VIEW v AS SELECT 1")
        self.assertEqual((code, out), (0, ""), err)

    def test_a_query_is_made_to_run_and_its_first_rows_are_logged(self):
        frame = FakeFrame(["k", "v"], [Row(("a", i)) for i in range(30)])
        session = FakeSession({"FROM t": frame})
        code, _, err, _ = run_main(["{script}", "--show-rows", "3"], session, "SELECT k, v FROM t")
        self.assertEqual(code, 0, err)
        self.assertEqual(frame.took, 4)
        self.assertIn("statement 1/1 (line 1) row: ('a', 0)", err)
        self.assertIn("statement 1/1 (line 1) row: ('a', 2)", err)
        self.assertNotIn("('a', 3)", err)
        self.assertIn("more rows not shown", err)

    def test_statements_reach_spark_without_their_semicolons(self):
        session = FakeSession()
        run_main(["{script}"], session, "SELECT ';' ; SELECT 2;\n")
        self.assertEqual(session.executed, ["SELECT ';'", "SELECT 2"])

    def test_an_empty_script_exits_2(self):
        code, _, err, _ = run_main(["{script}"], FakeSession(), "-- nothing here\n;\n")
        self.assertEqual(code, 2)
        self.assertIn("has no statements", err)

    def test_an_unsplittable_script_exits_2_before_anything_runs(self):
        session = FakeSession()
        code, _, err, _ = run_main(["{script}"], session, "SELECT 1;\nSELECT 'open")
        self.assertEqual((code, session.executed), (2, []))
        self.assertIn("unterminated string starting at line 2, column 8", err)

    def test_a_missing_script_exits_2(self):
        code, _, err, _ = run_main(["{dir}/absent.sql"], FakeSession())
        self.assertEqual(code, 2)
        self.assertIn("script not found", err)

    def test_an_unknown_option_is_a_usage_error(self):
        code, _, _, _ = run_main(["{script}", "--bogus"], FakeSession(), "SELECT 1")
        self.assertEqual(code, 2)

    def test_list_prints_the_statements_without_spark(self):
        code, out, err, _ = run_main(["{script}", "--list"], None, "SELECT 'a;b';\n\n  SELECT 2")
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "-- statement 1 (line 1, column 1)\nSELECT 'a;b';\n"
                              "-- statement 2 (line 3, column 3)\nSELECT 2;\n")


FULL_REPORT_SCRIPT = textwrap.dedent("""\
    CREATE OR REPLACE TEMPORARY VIEW sparktf_input_counts AS SELECT 2300 AS sparktf_rows_read;
    SELECT sparktf_rows_read, sparktf_rows_bad, read_impressions, quarantined_impressions FROM sparktf_input_counts;
    SELECT assert_true(sparktf_bad_rows_within_limit, concat('sparktf: too many bad input rows: ', '33')) AS c;
    INSERT OVERWRITE DIRECTORY '/out' USING tfrecord SELECT * FROM sparktf_output;
    SELECT sparktf_samples_written, positives, eval, history_min_h, samples, missing_users, read_impressions,
      quarantined_impressions FROM report_row
    """)
INPUT_COUNTS = FakeFrame(["sparktf_rows_read", "sparktf_rows_bad", "read_impressions", "quarantined_impressions"],
                         [Row((2300, 33, 2000, 30))])
REPORT_ROW = FakeFrame(["sparktf_samples_written", "positives", "eval", "history_min_h", "samples", "missing_users",
                        "read_impressions", "quarantined_impressions"], [Row((1234, 56, 0, 3, 1300, 7, 2000, 30))])


class BadRowsCheckError(Exception):
    """Like Py4JJavaError: a wrapper line first, Spark's error on a later line."""

    def __str__(self):
        return ("An error occurred while calling o77.collectToPython.\n"
                ": org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 in stage 9.0 failed\n"
                "java.lang.RuntimeException: sparktf: too many bad input rows: 33 of 2300 rows read are bad (impressions"
                " 30 of 2000)\n\tat org.apache.spark.sql.catalyst.expressions.RaiseError.eval(misc.scala:93)")


class FailingFrame(FakeFrame):
    def take(self, n):
        raise BadRowsCheckError()


class ReportContentTest(unittest.TestCase):
    def test_the_report_file_has_the_count_first_then_every_column_of_the_report_row(self):
        session = FakeSession({"FROM sparktf_input_counts": INPUT_COUNTS, "FROM report_row": REPORT_ROW,
                               "assert_true": FakeFrame(["c"], [Row((None,))])})
        code, out, err, reports = run_main(["{script}", "--report", "{dir}/_sparktf_report"], session,
                                           FULL_REPORT_SCRIPT)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "SPARKTF_SAMPLES_WRITTEN=1234\n", "stdout keeps the one line")
        self.assertEqual(reports["_sparktf_report"],
                         "SPARKTF_SAMPLES_WRITTEN=1234\npositives=56\neval=0\nhistory_min_h=3\nsamples=1300\n"
                         "missing_users=7\nread_impressions=2000\nquarantined_impressions=30\n")

    def test_a_column_that_is_not_a_count_is_left_out_of_the_report_and_logged(self):
        frame = FakeFrame(["sparktf_samples_written", "label", "positives"], [Row((5, "x", 2))])
        code, _, err, reports = run_main(["{script}", "--report", "{dir}/r"], FakeSession({"written": frame}),
                                         "SELECT 5 AS sparktf_samples_written")
        self.assertEqual(code, 0, err)
        self.assertEqual(reports["r"], "SPARKTF_SAMPLES_WRITTEN=5\npositives=2\n")
        self.assertIn("column label = 'x' is not written to the report", err)

    def test_a_failed_bad_rows_check_writes_the_input_counts_and_the_failure_to_the_report(self):
        session = FakeSession({"FROM sparktf_input_counts": INPUT_COUNTS, "assert_true": FailingFrame(["c"])})
        code, out, err, reports = run_main(["{script}", "--report", "{dir}/_sparktf_report"], session,
                                           FULL_REPORT_SCRIPT)
        self.assertEqual((code, out), (1, ""), err)
        self.assertEqual(len(session.executed), 3, "nothing runs after the failed check")
        lines = reports["_sparktf_report"].splitlines()
        self.assertEqual(lines[:4], ["sparktf_rows_read=2300", "sparktf_rows_bad=33", "read_impressions=2000",
                                     "quarantined_impressions=30"])
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines[4],
                         "SPARKTF_FAILED=statement 3 of 5 (line 3): BadRowsCheckError: An error occurred while "
                         "calling o77.collectToPython. ... java.lang.RuntimeException: sparktf: too many bad input "
                         "rows: 33 of 2300 rows read are bad (impressions 30 of 2000)")
        self.assertNotIn("SPARKTF_SAMPLES_WRITTEN", reports["_sparktf_report"])

    def test_another_failure_writes_its_first_line_and_a_one_argument_check_is_found_too(self):
        code, _, err, reports = run_main(["{script}", "--report", "{dir}/r"], FakeSession(fail_on="nope"),
                                         "SELECT 1;\nSELECT * FROM nope")
        self.assertEqual(code, 1, err)
        self.assertEqual(reports["r"], "SPARKTF_FAILED=statement 2 of 2 (line 2): RuntimeError: [TABLE_OR_VIEW_NOT_FOUND]"
                                       " The table or view `nope` cannot be found.\n")
        legacy = RuntimeError("An error occurred while calling o5.sql.\n== SQL ==\n"
                              "SELECT assert_true(`sparktf_bad_rows_within_limit`) FROM t\n"
                              ": java.lang.RuntimeException: 'sparktf_bad_rows_within_limit#42' is not true!")
        self.assertEqual(runner.failure_text(legacy),
                         "RuntimeError: An error occurred while calling o5.sql. ... "
                         "java.lang.RuntimeException: 'sparktf_bad_rows_within_limit#42' is not true!")

    def test_without_report_option_a_failure_writes_no_file(self):
        # Run from an empty working directory too, so that a report written to a default relative path would show.
        with tempfile.TemporaryDirectory() as cwd:
            previous = os.getcwd()
            os.chdir(cwd)
            try:
                code, _, _, reports = run_main(["{script}"], FakeSession(fail_on="nope"), "SELECT * FROM nope")
            finally:
                os.chdir(previous)
            self.assertEqual((code, reports), (1, {}))
            self.assertEqual(os.listdir(cwd), [])


class ReportFileTest(unittest.TestCase):
    def test_a_local_report_replaces_an_older_one_and_leaves_no_temporary_file(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "sub", "_sparktf_report")
            runner.write_report(path, 1, None)
            runner.write_report(path, 2, None)
            self.assertEqual(os.listdir(os.path.dirname(path)), ["_sparktf_report"])
            with open(path) as handle:
                self.assertEqual(handle.read(), "SPARKTF_SAMPLES_WRITTEN=2\n")

    def test_a_file_uri_is_written_locally(self):
        with tempfile.TemporaryDirectory() as folder:
            runner.write_report("file://" + folder + "/r", 9, None)
            with open(os.path.join(folder, "r")) as handle:
                self.assertEqual(handle.read(), "SPARKTF_SAMPLES_WRITTEN=9\n")

    def test_a_hadoop_uri_needs_a_spark_session(self):
        self.assertRaises(ValueError, runner.write_report, "hdfs:///out/_sparktf_report", 1, None)

    def test_the_content_puts_the_count_first_and_the_failure_on_one_line(self):
        self.assertEqual(runner.report_content(3, [("sparktf_samples_written", 3), ("eval", 1)]),
                         "SPARKTF_SAMPLES_WRITTEN=3\neval=1\n")
        self.assertEqual(runner.report_content(None, [("sparktf_rows_read", 9)], "statement 1 of 1 (line 1): X:\n y"),
                         "sparktf_rows_read=9\nSPARKTF_FAILED=statement 1 of 1 (line 1): X: y\n")


class ProcessTest(unittest.TestCase):
    """The runner as a process, as spark-submit starts it (with Debian's Python, which has no pyspark)."""

    def run_python(self, args, **kwargs):
        return subprocess.run([sys.executable] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=30, **kwargs)

    def test_importing_the_runner_does_not_import_pyspark(self):
        result = self.run_python(["-c", "import sys; sys.path.insert(0, %r); import spark_sql_runner; "
                                        "print('pyspark' in sys.modules)" % SUBMIT])
        self.assertEqual(result.stdout.strip(), "False", result.stderr)

    def test_list_works_as_a_command(self):
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
            handle.write("SELECT 1; SELECT 2")
        try:
            result = self.run_python([RUNNER, "--list", handle.name])
        finally:
            os.unlink(handle.name)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("-- statement 2 (line 1, column 11)\nSELECT 2;", result.stdout)

    def test_without_pyspark_the_runner_says_to_use_spark_submit(self):
        try:
            import pyspark  # noqa: F401
            self.skipTest("pyspark is importable here")
        except ImportError:
            pass
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
            handle.write("SELECT 1")
        try:
            result = self.run_python([RUNNER, handle.name])
        finally:
            os.unlink(handle.name)
        self.assertEqual(result.returncode, 2)
        self.assertIn("run this file through spark-submit", result.stderr)

    def test_a_script_shipped_with_files_is_found_by_its_base_name_in_the_working_directory(self):
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "din.sql"), "w") as handle:
                handle.write("SELECT 1")
            result = self.run_python([RUNNER, "--list", "/somewhere/else/din.sql"], cwd=folder)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("SELECT 1;", result.stdout)

    def test_sigterm_during_a_statement_cancels_and_exits_143(self):
        driver = textwrap.dedent("""\
            import sys, time
            sys.path.insert(0, %r)
            import spark_sql_runner as runner

            class Context(object):
                def cancelAllJobs(self):
                    sys.stderr.write("cancelled\\n")

            class Session(object):
                sparkContext = Context()
                def sql(self, text):
                    sys.stdout.write("running\\n"); sys.stdout.flush()
                    time.sleep(20)

            sys.exit(runner.main([sys.argv[1]], session_factory=Session))
            """ % SUBMIT)
        with tempfile.TemporaryDirectory() as folder:
            script = os.path.join(folder, "s.sql")
            with open(script, "w") as handle:
                handle.write("SELECT 1; SELECT 2")
            process = subprocess.Popen([sys.executable, "-c", driver, script], stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, universal_newlines=True)
            self.assertEqual(process.stdout.readline(), "running\n")
            started = time.time()
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=15)
        self.assertEqual(process.returncode, 143, err)
        self.assertLess(time.time() - started, 10)
        self.assertIn("terminated (SIGTERM); cancelling Spark jobs", err)
        self.assertIn("cancelled", err)


if __name__ == "__main__":
    unittest.main()
