"""Daily DIN training samples for teams that must launch Spark through SparkSubmitOperator (Airflow 2.4+ and 3).

The variant of sparktf_din_daily without the sparktf launcher on the Spark side:
  1. `render`: `sparktf plan --engine spark` (same options as `sparktf samples`) prints the day's Spark SQL script,
     which is put on HDFS next to the other runs' scripts;
  2. `samples`: SparkSubmitOperator runs submit/spark_sql_runner.py in cluster deploy mode with the script shipped by
     `--files`; the runner executes its statements and writes the sample count to a report file on HDFS;
  3. `check`: what the launcher would check: the output's `_SUCCESS` and a report of more than zero samples.
The checks matter: without them a run that wrote nothing would pass. sparktf_din_daily, where `sparktf samples`
does all of this itself, is the simpler choice when the launcher may run on the Airflow worker.

Needs the Apache Spark provider (apache-airflow-providers-apache-spark) and a Spark connection (`spark_default`:
host `yarn`, extra `{"deploy-mode": "cluster"}`). The connector jar is verified with jars/verify.sh when it is
installed on the workers (see jars/README.md). Outputs are per date (`dt=<ds>`) and replaced as a whole by the
script's INSERT OVERWRITE DIRECTORY, so retries and backfills are idempotent.
"""

from datetime import datetime, timedelta, timezone

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

try:  # Airflow 3 moved the core operators to the standard provider
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.providers.standard.sensors.bash import BashSensor
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator
    from airflow.sensors.bash import BashSensor

PARAMS = {
    "sparktf": "/opt/sparktf/sparktf",
    "runner": "/opt/sparktf/submit/spark_sql_runner.py",
    "connector_jar": "/opt/sparktf/jars/lib/spark-tfrecord_2.12-0.7.0.jar",
    "conf": "/opt/sparktf/conf/din.yaml",
    "input_root": "hdfs:///logs/din",
    "output_root": "hdfs:///data/din/samples",
    "staging": "hdfs:///data/din/_sparktf",
}

SCRIPT_NAME = "din-{{ ds }}.sql"
SCRIPT = "{{ params.staging }}/scripts/" + SCRIPT_NAME
REPORT = "{{ params.staging }}/reports/din-{{ ds }}.report"
OUTPUT = "{{ params.output_root }}/dt={{ ds }}"

INPUTS = {
    "impressions": "{{ params.input_root }}/impressions/dt={{ ds }}",
    "clicks": "{{ params.input_root }}/clicks/dt={{ ds }}",
    "clicks_next_day": "{{ params.input_root }}/clicks/dt={{ macros.ds_add(ds, 1) }}",
}

RENDER_COMMAND = (
    "set -euo pipefail\n"
    "work=$(mktemp -d)\n"
    "trap 'rm -rf \"$work\"' EXIT\n"
    '"{{ params.sparktf }}" plan --engine spark --master yarn --deploy-mode cluster'
    " --writer connector --connector linkedin"
    ' --conf "{{ params.conf }}" --date {{ ds }}'
    ' --input "{{ params.input_root }}" --output "' + OUTPUT + '"'
    ' > "$work/' + SCRIPT_NAME + '"\n'
    'hadoop fs -mkdir -p "{{ params.staging }}/scripts" "{{ params.staging }}/reports"\n'
    'hadoop fs -rm -f "' + REPORT + '"\n'
    'hadoop fs -put -f "$work/' + SCRIPT_NAME + '" "' + SCRIPT + '"\n'
)

CHECK_COMMAND = (
    "set -euo pipefail\n"
    'hadoop fs -test -e "' + OUTPUT + '/_SUCCESS" || { echo "no _SUCCESS in ' + OUTPUT + '" >&2; exit 1; }\n'
    'report=$(hadoop fs -cat "' + REPORT + '")\n'
    'count=$(printf "%s\\n" "$report" | sed -n "s/^SPARKTF_SAMPLES_WRITTEN=\\([0-9][0-9]*\\)$/\\1/p")\n'
    'if [ -z "$count" ] || [ "$count" -eq 0 ]; then echo "bad report: $report" >&2; exit 1; fi\n'
    'echo "{{ ds }}: $count samples in ' + OUTPUT + '"\n'
)

with DAG(
    dag_id="sparktf_din_daily_spark_submit",
    description="DIN TFRecord samples for one day: sparktf plan, then SparkSubmitOperator with the SQL runner",
    schedule="@daily",
    start_date=datetime(2024, 5, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    params=PARAMS,
    default_args={
        "owner": "ml-data",
        "retries": 2,
        "retry_delay": timedelta(minutes=15),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(hours=6),
    },
    tags=["sparktf", "tfrecord", "din"],
    doc_md=__doc__,
) as dag:
    sensors = [
        BashSensor(
            task_id="wait_for_" + name,
            bash_command="hadoop fs -test -e '" + path + "/_SUCCESS'",
            mode="reschedule",
            poke_interval=10 * 60,
            timeout=int(timedelta(days=2).total_seconds()),
        )
        for name, path in INPUTS.items()
    ]

    render = BashOperator(task_id="render", bash_command=RENDER_COMMAND)

    samples = SparkSubmitOperator(
        task_id="samples",
        conn_id="spark_default",
        application="{{ params.runner }}",
        name="sparktf-din-{{ ds }}",
        files=SCRIPT,
        jars="{{ params.connector_jar }}",
        conf={
            "spark.sql.session.timeZone": "Asia/Shanghai",
            "spark.yarn.maxAppAttempts": "1",
        },
        application_args=[SCRIPT_NAME, "--report", REPORT],
    )

    check = BashOperator(task_id="check", bash_command=CHECK_COMMAND)

    sensors >> render >> samples >> check
