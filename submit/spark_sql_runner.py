#!/usr/bin/env python3
"""Runs a rendered SparkTfrecord Spark SQL script statement by statement inside one SparkSession.

Why this exists: in client mode the launcher runs the script with `spark-sql -f`, but the spark-sql shell refuses
`--deploy-mode cluster`. In cluster mode the launcher submits this file instead, with the script shipped by
`--files`:

    spark-submit --master yarn --deploy-mode cluster --files /tmp/din-2024-05-01.sql \
        submit/spark_sql_runner.py din-2024-05-01.sql --report hdfs:///out/din/dt=2024-05-01/_sparktf_report

What it does:
  * splits the script into statements the way Spark's own lexer reads them: '...' and "..." strings with backslash
    escapes (R'...' raw strings without), `backtick` identifiers, -- line comments, nested /* */ comments; a ';'
    inside any of those is not a separator; the last statement needs no ';'; empty statements are skipped;
  * runs each with spark.sql(...), logging its start and end on stderr (index, line, duration);
  * a statement whose result has a column named sparktf_samples_written (one row) is the report: the runner prints
    SPARKTF_SAMPLES_WRITTEN=<n> on stdout and, with --report PATH, writes the report file to PATH (a local path, or
    any Hadoop file system URI such as hdfs://, s3a://, abfs://, written through the driver's Hadoop configuration):
    the same line first, then every integer column of the report row as a `name=value` line (positives, eval,
    missing_<table>, history stats, read_<source>, quarantined_<source>, ...), in the row's order;
  * when a statement fails and --report is given, the report file gets the failure instead: the integer columns of the
    input counts row the script printed before (the query with a sparktf_rows_read column), if any ran, as
    `name=value` lines, then `SPARKTF_FAILED=statement <i> of <n> (line <l>): <error>` where <error> is the error's
    first line, or, when that is only a wrapper (Py4J's "An error occurred while calling ..."), the first line that
    carries the script's own message (its bad-rows check: "sparktf: ..." or "'...' is not true!"). So a launcher
    outside the cluster can tell the bad-rows check from other failures.

Exit codes: 0 success; 1 a statement failed (the message names its index and line); 2 usage error, unreadable script
or a script that cannot be split (unterminated string or comment); 3 --report was given but no statement reported a
valid count; 130 interrupted; 143 terminated (SIGTERM).

The splitter needs nothing but the standard library (pyspark is imported only inside main), so it can be tested, and
`--list` shows the statements without Spark. Compatible with Python 3.6+ (Spark 2.4 and 3.x drivers).
"""

from __future__ import print_function

import argparse
import bisect
import collections
import contextlib
import datetime
import os
import re
import signal
import sys
import time

REPORT_COLUMN = "sparktf_samples_written"
REPORT_KEY = "SPARKTF_SAMPLES_WRITTEN"
FAILED_KEY = "SPARKTF_FAILED"
# The first column of the input counts row the script prints before its bad-rows check.
INPUT_COUNTS_COLUMN = "sparktf_rows_read"

EXIT_OK = 0
EXIT_STATEMENT_FAILED = 1
EXIT_USAGE = 2
EXIT_NO_REPORT = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

# One statement of a script: 1-based index among the non-empty statements, its text (without the ';', surrounding
# whitespace trimmed, comments inside kept so that hints such as /*+ REPARTITION(16) */ survive), and the 1-based
# line and column of its first character that is not whitespace or a comment.
Statement = collections.namedtuple("Statement", ["index", "text", "line", "column"])


class SplitError(ValueError):
    """The script cannot be split: a string, identifier or comment is never closed."""

    def __init__(self, what, line, column):
        ValueError.__init__(self, "unterminated {0} starting at line {1}, column {2}".format(what, line, column))
        self.what = what
        self.line = line
        self.column = column


class _Positions(object):
    """Turns string offsets into 1-based line and column numbers."""

    def __init__(self, text):
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset):
        row = bisect.bisect_right(self._starts, offset) - 1
        return row + 1, offset - self._starts[row] + 1


def _is_word_char(ch):
    return ch.isalnum() or ch == "_"


def split_statements(sql):
    """Splits a Spark SQL script into its statements; see the module docstring for the rules.

    Raises SplitError when a quoted string, a backtick identifier or a /* comment is not closed: Spark would
    reject the script too, and failing before any statement runs is clearer than failing half-way.
    """
    if sql.startswith("\ufeff"):
        sql = sql[1:]
    positions = _Positions(sql)
    statements = []
    n = len(sql)
    start = 0            # where the current statement's text begins
    code_start = None    # offset of its first character that is not whitespace or comment

    def emit(end):
        if code_start is None:
            return  # only whitespace and comments: an empty statement
        line, column = positions.at(code_start)
        statements.append(Statement(len(statements) + 1, sql[start:end].strip(), line, column))

    i = 0
    while i < n:
        ch = sql[i]
        if ch == "-" and sql.startswith("--", i):
            # Spark's lexer lets a backslash at the end of a -- comment continue it on the next line.
            i += 2
            while i < n and sql[i] != "\n":
                if sql[i] == "\\" and i + 1 < n and sql[i + 1] == "\n":
                    i += 2
                else:
                    i += 1
            continue
        if ch == "/" and sql.startswith("/*", i):
            if sql.startswith("/*+", i) and code_start is None:
                code_start = i  # a hint is part of the statement, not an empty one
            opened = i
            depth = 1
            i += 2
            while i < n and depth:
                if sql.startswith("/*", i):
                    depth += 1
                    i += 2
                elif sql.startswith("*/", i):
                    depth -= 1
                    i += 2
                else:
                    i += 1
            if depth:
                raise SplitError("/* comment", *positions.at(opened))
            continue
        if ch == "'" or ch == '"':
            raw = i > 0 and sql[i - 1] in "rR" and (i < 2 or not _is_word_char(sql[i - 2]))
            if code_start is None:
                code_start = i - 1 if raw else i
            j = i + 1
            while j < n and sql[j] != ch:
                j += 2 if (sql[j] == "\\" and not raw) else 1
            if j >= n:
                raise SplitError("string" if ch == "'" else "double-quoted string", *positions.at(i))
            i = j + 1
            continue
        if ch == "`":
            if code_start is None:
                code_start = i
            j = sql.find("`", i + 1)  # a doubled `` inside is read as two adjacent identifiers: same split
            if j < 0:
                raise SplitError("backtick identifier", *positions.at(i))
            i = j + 1
            continue
        if ch == ";":
            emit(i)
            start = i + 1
            code_start = None
            i += 1
            continue
        if code_start is None and not ch.isspace():
            code_start = i
        i += 1
    emit(n)
    return statements


def summarize(text, width=100):
    """The statement's first characters on one line, for log messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def _now():
    return datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


class _Log(object):
    def __init__(self, stream):
        self._stream = stream

    def __call__(self, message):
        self._stream.write("{0} sparktf-runner: {1}\n".format(_now(), message))
        self._stream.flush()


class ReportError(Exception):
    """The reporting statement's result is not one row holding one non-negative integer."""


def _cell(row, column, position):
    return row[position] if isinstance(row, (list, tuple)) else row[column]  # pyspark's Row is a tuple


def _count(value):
    """value as a non-negative integer, or None when it is not one (None, a bool, a fraction, a string, ...)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number == value and number >= 0 else None


def _report_value(rows, column, position):
    if len(rows) != 1:
        raise ReportError("the {0} statement returned {1} rows; expected exactly one".format(column, len(rows)))
    value = _cell(rows[0], column, position)
    number = _count(value)
    if number is None:
        raise ReportError("the {0} statement returned {1!r}; expected a non-negative integer".format(column, value))
    return number


def _integer_columns(row, columns, log, where):
    """The row's columns whose value is a non-negative integer, as (name, value) pairs in the row's order; a column
    whose name cannot be written as a `name=value` line, or whose value is not such an integer, is logged and left
    out."""
    pairs = []
    for position, column in enumerate(columns):
        if not column or "=" in column or any(ch.isspace() for ch in column):
            log("{0} column {1!r} is not written to the report: its name cannot be a name=value line".format(where, column))
            continue
        value = _cell(row, column, position)
        number = _count(value)
        if number is None:
            log("{0} column {1} = {2!r} is not written to the report: not a non-negative integer".format(
                where, column, value))
            continue
        pairs.append((column, number))
    return pairs


def failure_text(error):
    """What the report file says of a failed statement's error: its first line, or, when the first line does not carry
    the script's own message (Py4J wraps a JVM error as "An error occurred while calling o42.sql." and puts the cause on
    later lines), the first later line that does ("sparktf: ..." or Spark's "'...' is not true!"), after the first."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    first = "{0}: {1}".format(type(error).__name__, lines[0]) if lines else type(error).__name__
    if lines and "sparktf" not in lines[0]:
        for line in lines[1:]:
            if "assert_true(" in line.lower():
                continue  # the statement's text echoed by a parse error, not the error
            if "sparktf: " in line or ("sparktf" in line and "is not true" in line):
                return "{0} ... {1}".format(first, line.lstrip(": "))
    return first


# What run_statements found: the exit code; the reported count (or None); the report row's integer columns and the
# input counts row's, as (name, value) pairs (empty when none ran); the failure's text (None unless the code is 1).
Outcome = collections.namedtuple("Outcome", ["code", "reported", "columns", "input_counts", "failure"])


class Terminated(BaseException):
    """Raised in the main thread by the SIGTERM handler, so the run stops between or inside statements cleanly."""


def run_statements(statements, session, log, show_rows=20):
    """Runs the statements in order with session.sql(); returns an Outcome.

    Commands (CREATE VIEW, INSERT, CACHE TABLE, SET) run when spark.sql() is called. A query is lazy, so a
    statement with result columns is made to run: the report statement is collected; any other query shows its
    first `show_rows` rows in the log, as the spark-sql shell would print them.
    """
    total = len(statements)
    reported = None
    report_columns = []
    input_counts = []
    for stmt in statements:
        where = "statement {0}/{1} (line {2})".format(stmt.index, total, stmt.line)
        log("{0} start: {1}".format(where, summarize(stmt.text)))
        began = time.time()
        try:
            frame = session.sql(stmt.text)
            columns = list(frame.columns) if frame is not None else []
            lowered = [c.lower() for c in columns]
            if REPORT_COLUMN in lowered:
                position = lowered.index(REPORT_COLUMN)
                rows = frame.collect()
                reported = _report_value(rows, columns[position], position)
                report_columns = _integer_columns(rows[0], columns, log, where)
                log("{0} reported {1}={2}".format(where, REPORT_COLUMN, reported))
            elif columns:
                rows = frame.take(show_rows + 1)
                if INPUT_COUNTS_COLUMN in lowered and len(rows) == 1:
                    input_counts = _integer_columns(rows[0], columns, log, where)
                for row in rows[:show_rows]:
                    log("{0} row: {1}".format(where, tuple(row)))
                if len(rows) > show_rows:
                    log("{0} more rows not shown".format(where))
        except (Terminated, KeyboardInterrupt):
            raise
        except Exception as error:  # Spark raises AnalysisException, ParseException, Py4JJavaError, ...
            elapsed = time.time() - began
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            log("{0} failed after {1:.1f}s: {2}: {3}".format(where, elapsed, type(error).__name__, first))
            log("failing statement {0} of {1}, from line {2}:\n{3}".format(stmt.index, total, stmt.line, stmt.text))
            failure = "statement {0} of {1} (line {2}): {3}".format(stmt.index, total, stmt.line, failure_text(error))
            return Outcome(EXIT_STATEMENT_FAILED, reported, report_columns, input_counts, failure)
        log("{0} done in {1:.1f}s".format(where, time.time() - began))
    return Outcome(EXIT_OK, reported, report_columns, input_counts, None)


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def report_content(count, columns=(), failure=None):
    """The report file's text: 'SPARKTF_SAMPLES_WRITTEN=<n>' first (when count is not None), then a 'name=value' line
    per (name, value) pair of columns (the report row's own sparktf_samples_written is not repeated), then
    'SPARKTF_FAILED=<text>' (when failure is given, on one line)."""
    lines = []
    if count is not None:
        lines.append("{0}={1}".format(REPORT_KEY, count))
    for name, value in columns:
        if name.lower() != REPORT_COLUMN:
            lines.append("{0}={1}".format(name, value))
    if failure is not None:
        lines.append("{0}={1}".format(FAILED_KEY, " ".join(str(failure).split())))
    return "".join(line + "\n" for line in lines)


def write_report(path, count, session=None, columns=(), failure=None):
    """Writes the report (see report_content) to path, atomically: a reader sees the old file, no file, or the new one.

    A plain path or file: URI is written on the driver's local disk; any other URI (hdfs://, s3a://, ...) through
    Hadoop's FileSystem API with the session's Hadoop configuration, which is what a launcher outside the cluster
    can read back in cluster deploy mode.
    """
    content = report_content(count, columns, failure)
    if path.startswith("file:"):
        path = re.sub(r"^file:(//)?", "", path)
        if not path.startswith("/"):
            path = "/" + path
    elif _URI.match(path) and not re.match(r"^[A-Za-z]:[\\/]", path):
        _write_report_hadoop(path, content, session)
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        os.makedirs(folder)
    temp = os.path.join(folder, ".{0}.{1}.tmp".format(os.path.basename(path), os.getpid()))
    with open(temp, "w") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _write_report_hadoop(uri, content, session):
    if session is None:
        raise ValueError("a report URI such as {0} needs a Spark session".format(uri))
    jvm = session.sparkContext._jvm
    conf = session.sparkContext._jsc.hadoopConfiguration()
    target = jvm.org.apache.hadoop.fs.Path(uri)
    fs = target.getFileSystem(conf)
    temp = jvm.org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".tmp")
    stream = fs.create(temp, True)
    try:
        stream.write(bytearray(content.encode("utf-8")))
    finally:
        stream.close()
    if fs.exists(target):
        fs.delete(target, False)
    if not fs.rename(temp, target):
        raise IOError("could not rename {0} to {1}".format(temp.toString(), uri))


def read_script(path):
    """The script's text. Tries the path as given, then its base name in the working directory, which is where
    YARN puts files shipped with --files. Returns None when neither exists (SparkFiles is tried later)."""
    for candidate in (path, os.path.basename(path)):
        if candidate and os.path.isfile(candidate):
            with open(candidate, "rb") as handle:
                return handle.read().decode("utf-8")
    return None


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="spark_sql_runner.py",
        description="Run a Spark SQL script statement by statement (for spark-submit --deploy-mode cluster).")
    parser.add_argument("script", help="the script; ship it with --files and pass its base name")
    parser.add_argument("--report", metavar="PATH",
                        help="write SPARKTF_SAMPLES_WRITTEN=<n> and the report row's other counts, or the failure, "
                             "here (local path or Hadoop URI such as hdfs://...)")
    parser.add_argument("--list", action="store_true",
                        help="print the statements as split, without Spark, and exit")
    parser.add_argument("--show-rows", type=int, default=20, metavar="N",
                        help="rows of a query result to log (default 20)")
    parser.add_argument("--app-name", default="sparktf-sql-runner",
                        help="Spark application name when spark-submit gives none")
    return parser.parse_args(argv)


def _list(statements, out):
    for stmt in statements:
        out.write("-- statement {0} (line {1}, column {2})\n{3};\n".format(stmt.index, stmt.line, stmt.column,
                                                                           stmt.text))


def main(argv=None, session_factory=None, out=None, err=None):
    """Entry point. session_factory (for tests) returns an object with .sql(); by default a real SparkSession."""
    out = out or sys.stdout
    err = err or sys.stderr
    log = _Log(err)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = _parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code in (0, None) else EXIT_USAGE

    try:
        text = read_script(args.script)
    except (IOError, OSError, UnicodeDecodeError) as error:
        log("cannot read script {0}: {1}".format(args.script, error))
        return EXIT_USAGE
    if text is None and (args.list or session_factory is not None):
        log("script not found: {0}".format(args.script))
        return EXIT_USAGE

    session = None
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise Terminated()

    try:
        signal.signal(signal.SIGTERM, on_term)
    except ValueError:
        previous = None  # not the main thread (embedded use): leave signals alone

    try:
        statements = None
        if text is not None:
            statements = _split_or_log(text, args.script, log)
            if statements is None:
                return EXIT_USAGE
            if args.list:
                _list(statements, out)
                return EXIT_OK

        if session_factory is None:
            try:
                from pyspark.sql import SparkSession  # imported here so that the splitter needs no pyspark
            except ImportError:
                log("pyspark is not importable: run this file through spark-submit")
                return EXIT_USAGE
            session = SparkSession.builder.appName(args.app_name).getOrCreate()
        else:
            session = session_factory()

        if text is None:
            text = _read_from_spark_files(args.script, log)
            if text is None:
                return EXIT_USAGE
            statements = _split_or_log(text, args.script, log)
            if statements is None:
                return EXIT_USAGE

        if not statements:
            log("script {0} has no statements".format(args.script))
            return EXIT_USAGE
        log("running {0} statements from {1}".format(len(statements), args.script))
        outcome = run_statements(statements, session, log, args.show_rows)
        code, reported = outcome.code, outcome.reported
        if code != EXIT_OK:
            if args.report:
                try:
                    write_report(args.report, None, session, outcome.input_counts, outcome.failure)
                    log("failure written to {0}".format(args.report))
                except Exception as error:
                    log("cannot write the failure to report {0}: {1}".format(args.report, error))
            return code
        if reported is not None:
            out.write("{0}={1}\n".format(REPORT_KEY, reported))
            out.flush()
            if args.report:
                try:
                    write_report(args.report, reported, session, outcome.columns)
                except Exception as error:
                    log("cannot write report {0}: {1}".format(args.report, error))
                    return EXIT_NO_REPORT
                log("report written to {0}".format(args.report))
        elif args.report:
            log("no statement returned a {0} column, so there is nothing to report to {1}".format(
                REPORT_COLUMN, args.report))
            return EXIT_NO_REPORT
        log("all {0} statements done".format(len(statements)))
        return EXIT_OK
    except Terminated:
        log("terminated (SIGTERM); cancelling Spark jobs")
        _cancel(session)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        log("interrupted; cancelling Spark jobs")
        _cancel(session)
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if session is not None and session_factory is None:
            try:
                session.stop()
            except Exception:  # the JVM may already be gone after a signal
                pass


def _split_or_log(text, name, log):
    try:
        return split_statements(text)
    except SplitError as error:
        log("cannot split {0}: {1}".format(name, error))
        return None


def _read_from_spark_files(script, log):
    try:
        from pyspark import SparkFiles
        located = SparkFiles.get(os.path.basename(script))
    except Exception as error:
        log("script not found: {0} ({1})".format(script, error))
        return None
    found = read_script(located)
    if found is None:
        log("script not found: {0} (not in the working directory nor among the files shipped with --files)".format(
            script))
    return found


def _cancel(session):
    if session is None:
        return
    try:
        session.sparkContext.cancelAllJobs()
    except Exception:
        pass


if __name__ == "__main__":
    sys.exit(main())
