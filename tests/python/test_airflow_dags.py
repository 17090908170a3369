"""Tests of submit/airflow/*.py without Airflow (it cannot be installed here): the DAG files are imported against
small stand-ins of the Airflow classes they use, and their templated commands are rendered with Jinja (Debian's
python3-jinja2; those tests are skipped without it) the way Airflow renders them, then checked with `bash -n`.

Run with Debian's Python:  /usr/bin/python3 -m unittest discover -s tests/python -v
"""

import datetime
import importlib.util
import os
import py_compile
import subprocess
import sys
import tempfile
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
AIRFLOW_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "submit", "airflow"))
DAG_FILES = sorted(f for f in os.listdir(AIRFLOW_DIR) if f.endswith(".py"))

try:
    import jinja2
except ImportError:  # pragma: no cover - depends on the machine
    jinja2 = None


class StubOperator(object):
    """Records its constructor arguments and the dependencies set with >> and <<."""

    def __init__(self, task_id, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.upstream = set()
        self.downstream = set()
        StubDAG.current.tasks[task_id] = self

    def _link(self, other):
        for task in other if isinstance(other, (list, tuple)) else [other]:
            self.downstream.add(task.task_id)
            task.upstream.add(self.task_id)

    def __rshift__(self, other):
        self._link(other)
        return other

    def __rrshift__(self, other):  # [a, b] >> self
        for task in other:
            task._link(self)
        return self


class StubDAG(object):
    current = None

    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = {}

    def __enter__(self):
        StubDAG.current = self
        return self

    def __exit__(self, *exc):
        StubDAG.current = None
        return False


def _install_airflow_stubs():
    classes = {
        "airflow": {"DAG": StubDAG},
        "airflow.operators": {},
        "airflow.operators.bash": {"BashOperator": type("BashOperator", (StubOperator,), {})},
        "airflow.sensors": {},
        "airflow.sensors.bash": {"BashSensor": type("BashSensor", (StubOperator,), {})},
        "airflow.providers": {},
        "airflow.providers.apache": {},
        "airflow.providers.apache.spark": {},
        "airflow.providers.apache.spark.operators": {},
        "airflow.providers.apache.spark.operators.spark_submit": {
            "SparkSubmitOperator": type("SparkSubmitOperator", (StubOperator,), {})},
    }
    saved = {name: sys.modules.get(name) for name in classes}
    for name, members in classes.items():
        module = types.ModuleType(name)
        module.__dict__.update(members)
        sys.modules[name] = module
    return saved


def load_dag(file_name):
    saved = _install_airflow_stubs()
    try:
        path = os.path.join(AIRFLOW_DIR, file_name)
        spec = importlib.util.spec_from_file_location("dag_" + file_name[:-3], path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.dag
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous


def render(template, dag, ds="2024-05-01"):
    """Renders like Airflow: ds, params and macros.ds_add in the context."""

    def ds_add(value, days):
        day = datetime.datetime.strptime(value, "%Y-%m-%d") + datetime.timedelta(days=days)
        return day.strftime("%Y-%m-%d")

    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    context = {"ds": ds, "params": dag.kwargs["params"], "macros": types.SimpleNamespace(ds_add=ds_add)}
    if isinstance(template, list):
        return [environment.from_string(t).render(**context) for t in template]
    return environment.from_string(template).render(**context)


def bash_syntax_ok(command):
    result = subprocess.run(["bash", "-n", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)
    return result.returncode == 0, result.stderr


class DagFilesTest(unittest.TestCase):
    def test_there_are_two_dag_files(self):
        self.assertEqual(DAG_FILES, ["sparktf_din_daily.py", "sparktf_din_daily_spark_submit.py"])

    def test_every_dag_file_compiles(self):
        with tempfile.TemporaryDirectory() as folder:
            for name in DAG_FILES:
                with self.subTest(name):
                    py_compile.compile(os.path.join(AIRFLOW_DIR, name), cfile=os.path.join(folder, name + "c"),
                                       doraise=True)

    def test_every_dag_is_daily_with_retries_and_one_run_at_a_time(self):
        for name in DAG_FILES:
            with self.subTest(name):
                dag = load_dag(name)
                self.assertEqual(dag.kwargs["schedule"], "@daily")
                self.assertGreaterEqual(dag.kwargs["default_args"]["retries"], 1)
                self.assertEqual(dag.kwargs["max_active_runs"], 1)
                self.assertIsNotNone(dag.kwargs["start_date"].tzinfo)

    def test_every_input_sensor_waits_for_success_flags_before_any_spark_work(self):
        for name in DAG_FILES:
            with self.subTest(name):
                dag = load_dag(name)
                sensors = [t for t in dag.tasks.values() if type(t).__name__ == "BashSensor"]
                self.assertEqual(len(sensors), 3)
                for sensor in sensors:
                    self.assertIn("/_SUCCESS'", sensor.kwargs["bash_command"])
                    self.assertEqual(sensor.kwargs["mode"], "reschedule")
                    self.assertEqual(len(sensor.downstream), 1)


@unittest.skipIf(jinja2 is None, "python3-jinja2 is not installed")
class RenderedCommandsTest(unittest.TestCase):
    def test_the_bash_operator_dag_runs_sparktf_samples_for_the_logical_date(self):
        dag = load_dag("sparktf_din_daily.py")
        command = render(dag.tasks["samples"].kwargs["bash_command"], dag)
        self.assertIn('"/opt/sparktf/sparktf" samples --engine spark --master yarn --deploy-mode cluster', command)
        self.assertIn("--date 2024-05-01", command)
        self.assertIn('--output "hdfs:///data/din/samples/dt=2024-05-01"', command)
        self.assertIn("--spark-conf 'spark.executor.memory=8g' --spark-conf 'spark.sql.shuffle.partitions=400'",
                      command)
        self.assertTrue(command.startswith("set -euo pipefail\n"))
        ok, err = bash_syntax_ok(command)
        self.assertTrue(ok, err)

    def test_the_same_date_always_gives_the_same_output_so_retries_overwrite_it(self):
        dag = load_dag("sparktf_din_daily.py")
        template = dag.tasks["samples"].kwargs["bash_command"]
        self.assertEqual(render(template, dag), render(template, dag))
        self.assertNotEqual(render(template, dag), render(template, dag, ds="2024-05-02"))

    def test_sensors_watch_the_days_inputs_and_the_next_days_clicks(self):
        dag = load_dag("sparktf_din_daily.py")
        commands = sorted(render(t.kwargs["bash_command"], dag) for t in dag.tasks.values()
                          if type(t).__name__ == "BashSensor")
        self.assertEqual(commands, [
            "hadoop fs -test -e 'hdfs:///logs/din/clicks/dt=2024-05-01/_SUCCESS'",
            "hadoop fs -test -e 'hdfs:///logs/din/clicks/dt=2024-05-02/_SUCCESS'",
            "hadoop fs -test -e 'hdfs:///logs/din/impressions/dt=2024-05-01/_SUCCESS'",
        ])

    def test_the_spark_submit_variant_renders_plans_submits_the_runner_and_checks(self):
        dag = load_dag("sparktf_din_daily_spark_submit.py")
        self.assertEqual(dag.tasks["render"].downstream, {"samples"})
        self.assertEqual(dag.tasks["samples"].downstream, {"check"})

        render_command = render(dag.tasks["render"].kwargs["bash_command"], dag)
        self.assertIn('"/opt/sparktf/sparktf" plan --engine spark --master yarn --deploy-mode cluster', render_command)
        self.assertIn('> "$work/din-2024-05-01.sql"', render_command)
        self.assertIn('hadoop fs -put -f "$work/din-2024-05-01.sql" "hdfs:///data/din/_sparktf/scripts/din-2024-05-01.sql"',
                      render_command)

        submit = dag.tasks["samples"].kwargs
        self.assertEqual(render(submit["application"], dag), "/opt/sparktf/submit/spark_sql_runner.py")
        self.assertEqual(render(submit["files"], dag), "hdfs:///data/din/_sparktf/scripts/din-2024-05-01.sql")
        self.assertEqual(render(submit["application_args"], dag),
                         ["din-2024-05-01.sql", "--report", "hdfs:///data/din/_sparktf/reports/din-2024-05-01.report"])

        check_command = render(dag.tasks["check"].kwargs["bash_command"], dag)
        self.assertIn('hadoop fs -test -e "hdfs:///data/din/samples/dt=2024-05-01/_SUCCESS"', check_command)
        for command in (render_command, check_command):
            ok, err = bash_syntax_ok(command)
            self.assertTrue(ok, err)

    def test_the_check_task_accepts_a_positive_count_and_rejects_zero_or_garbage(self):
        dag = load_dag("sparktf_din_daily_spark_submit.py")
        check_command = render(dag.tasks["check"].kwargs["bash_command"], dag)
        with tempfile.TemporaryDirectory() as folder:
            hadoop = os.path.join(folder, "hadoop")
            with open(hadoop, "w") as handle:  # a stand-in `hadoop fs` answering -test and -cat
                handle.write('#!/bin/bash\ncase $2 in -test) exit 0 ;; -cat) printf "%s\\n" "$REPORT" ;; esac\n')
            os.chmod(hadoop, 0o755)
            env = dict(os.environ, PATH=folder + os.pathsep + os.environ["PATH"])
            for report, expected in (("SPARKTF_SAMPLES_WRITTEN=1234", 0), ("SPARKTF_SAMPLES_WRITTEN=0", 1),
                                     ("garbage", 1)):
                env["REPORT"] = report
                result = subprocess.run(["bash", "-c", check_command], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, universal_newlines=True)
                self.assertEqual(result.returncode, expected, report + ": " + result.stderr)
                if expected == 0:
                    self.assertIn("2024-05-01: 1234 samples", result.stdout)


if __name__ == "__main__":
    unittest.main()
