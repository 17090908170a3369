"""Daily DIN training samples with `sparktf samples --engine spark` (Airflow 2.4+ and 3).

One run per logical date `ds`: wait until the day's inputs are complete (their `_SUCCESS` flags), then run the
sparktf launcher, which renders the Spark SQL script, runs it with the cluster's spark-submit, streams its logs, and
checks `_SUCCESS` and the reported sample count before it exits 0. The output of a date is
`<output_root>/dt=<ds>`: sparktf replaces it as a whole, so retries, clears and backfills
(`airflow dags backfill -s 2024-05-01 -e 2024-05-07 sparktf_din_daily`) overwrite that date and nothing else.

Dates: the schedule is daily in UTC and `ds` names the day the run covers. The job config cuts days in its own time
zone (conf/din.yaml: Asia/Shanghai); a UTC+8 day ends at 16:00 UTC, hours before this run starts. Labels need the
clicks that follow an impression by up to the label window (docs/job.md, point-in-time rule 3), so the run also waits
for the next day's clicks partition.

Settings are DAG params (override them when triggering, or edit `PARAMS`); the Airflow worker needs the sparktf
single-file build, a Spark client (SPARK_HOME) and the Hadoop client for the sensors (`hadoop fs -test`).
"""

from datetime import datetime, timedelta, timezone

from airflow import DAG

try:  # Airflow 3 moved the core operators to the standard provider
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.providers.standard.sensors.bash import BashSensor
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator
    from airflow.sensors.bash import BashSensor

PARAMS = {
    "sparktf": "/opt/sparktf/sparktf",
    "spark_home": "/opt/spark",
    "conf": "/opt/sparktf/conf/din.yaml",
    "input_root": "hdfs:///logs/din",
    "output_root": "hdfs:///data/din/samples",
    "master": "yarn",
    "deploy_mode": "cluster",
    "writer": "connector",
    "connector": "linkedin",
    "spark_conf": ["spark.executor.memory=8g", "spark.sql.shuffle.partitions=400"],
}

# Each sensor waits for one input partition's _SUCCESS flag; "reschedule" frees the worker slot between checks.
INPUTS = {
    "impressions": "{{ params.input_root }}/impressions/dt={{ ds }}",
    "clicks": "{{ params.input_root }}/clicks/dt={{ ds }}",
    "clicks_next_day": "{{ params.input_root }}/clicks/dt={{ macros.ds_add(ds, 1) }}",
}

SAMPLES_COMMAND = (
    "set -euo pipefail\n"
    '"{{ params.sparktf }}" samples --engine spark'
    " --master {{ params.master }} --deploy-mode {{ params.deploy_mode }}"
    ' --spark-home "{{ params.spark_home }}"'
    " --writer {{ params.writer }} --connector {{ params.connector }}"
    "{% for kv in params.spark_conf %} --spark-conf '{{ kv }}'{% endfor %}"
    ' --conf "{{ params.conf }}" --date {{ ds }}'
    ' --input "{{ params.input_root }}" --output "{{ params.output_root }}/dt={{ ds }}"\n'
)

with DAG(
    dag_id="sparktf_din_daily",
    description="DIN TFRecord samples for one day, built on Spark by sparktf",
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

    # sparktf's exit codes: 0 ok, 1 failure, 2 usage error, 130/143 interrupted; none is 99, which BashOperator
    # would take as "skip". When the task is killed, Airflow sends SIGTERM, which sparktf passes on to spark-submit.
    samples = BashOperator(
        task_id="samples",
        bash_command=SAMPLES_COMMAND,
        env={"SPARK_HOME": "{{ params.spark_home }}"},
        append_env=True,
    )

    sensors >> samples
