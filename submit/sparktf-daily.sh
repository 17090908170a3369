#!/usr/bin/env bash
# Runs one day of `sparktf samples --engine spark`, for cron and Airflow's BashOperator.
#
#   submit/sparktf-daily.sh [--date YYYY-MM-DD] [--conf FILE] [--input DIR] [--output-root DIR] [--master M]
#                           [--deploy-mode client|cluster] [--spark-home DIR] [--writer connector|native]
#                           [--connector linkedin|tensorflow] [--spark-conf k=v]... [--lock-dir DIR] [-- ARG...]
#
# The day's output is <output-root>/dt=<date>; sparktf replaces it as a whole on a rerun, so a retried or
# repeated run of the same date is safe. --date defaults to yesterday (local time), for cron. Every option can be
# given by environment instead (command-line wins): SPARKTF_BIN (default: sparktf on PATH), SPARKTF_CONF
# (conf/din.yaml), SPARKTF_INPUT, SPARKTF_OUTPUT_ROOT, SPARKTF_MASTER (yarn), SPARKTF_DEPLOY_MODE,
# SPARKTF_SPARK_HOME (else SPARK_HOME is passed on as it is), SPARKTF_WRITER, SPARKTF_CONNECTOR,
# SPARKTF_SPARK_CONFS (space-separated k=v), SPARKTF_LOCK_DIR. Arguments after -- go to sparktf unchanged
# (for example --dry-run).
#
# With --lock-dir, a second run for the same output on this host exits at once with 75 instead of overlapping.
# SIGTERM and SIGINT are passed on to sparktf, which stops spark-submit; the wrapper then exits with sparktf's code.
# Exit codes: sparktf's own (0 ok, 1 failure, 2 usage error, 130 interrupted, 143 terminated); 2 for a usage error
# of this wrapper; 75 another run holds the lock; 127 sparktf not found.
# crontab example (02:30 every day, yesterday's samples):
#   30 2 * * * /opt/sparktf/submit/sparktf-daily.sh --input hdfs:///logs/din --output-root hdfs:///data/din/samples >> /var/log/sparktf/din.log 2>&1
set -euo pipefail

log() { printf '%s sparktf-daily[%d]: %s\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$$" "$*" >&2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2; }
need() { [ -n "${2:-}" ] || { log "error: $1 needs a value"; exit 2; }; }

sparktf=${SPARKTF_BIN:-sparktf}
date_=''
conf=${SPARKTF_CONF:-conf/din.yaml}
input=${SPARKTF_INPUT:-}
output_root=${SPARKTF_OUTPUT_ROOT:-}
master=${SPARKTF_MASTER:-yarn}
deploy_mode=${SPARKTF_DEPLOY_MODE:-}
spark_home=${SPARKTF_SPARK_HOME:-}
writer=${SPARKTF_WRITER:-}
connector=${SPARKTF_CONNECTOR:-}
lock_dir=${SPARKTF_LOCK_DIR:-}
read -r -a spark_confs <<< "${SPARKTF_SPARK_CONFS:-}"
extra=()

while [ $# -gt 0 ]; do
  case $1 in
    --date) need "$1" "${2:-}"; date_=$2; shift 2 ;;
    --conf) need "$1" "${2:-}"; conf=$2; shift 2 ;;
    --input) need "$1" "${2:-}"; input=$2; shift 2 ;;
    --output-root) need "$1" "${2:-}"; output_root=$2; shift 2 ;;
    --master) need "$1" "${2:-}"; master=$2; shift 2 ;;
    --deploy-mode) need "$1" "${2:-}"; deploy_mode=$2; shift 2 ;;
    --spark-home) need "$1" "${2:-}"; spark_home=$2; shift 2 ;;
    --writer) need "$1" "${2:-}"; writer=$2; shift 2 ;;
    --connector) need "$1" "${2:-}"; connector=$2; shift 2 ;;
    --spark-conf) need "$1" "${2:-}"; spark_confs+=("$2"); shift 2 ;;
    --lock-dir) need "$1" "${2:-}"; lock_dir=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    *) log "error: unknown argument $1 (arguments for sparktf go after --)"; exit 2 ;;
  esac
done

if [ -z "$date_" ]; then
  date_=$(date -d yesterday '+%Y-%m-%d' 2>/dev/null || date -v-1d '+%Y-%m-%d')
fi
if ! [[ $date_ =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || ! date -d "$date_" '+%F' >/dev/null 2>&1; then
  log "error: --date must be a calendar date YYYY-MM-DD, not '$date_'"
  exit 2
fi
[ -n "$input" ] || { log "error: no input: pass --input DIR or set SPARKTF_INPUT"; exit 2; }
[ -n "$output_root" ] || { log "error: no output root: pass --output-root DIR or set SPARKTF_OUTPUT_ROOT"; exit 2; }
if ! command -v "$sparktf" >/dev/null 2>&1; then
  log "error: '$sparktf' not found: install the sparktf single-file build on this machine or set SPARKTF_BIN"
  exit 127
fi

output="${output_root%/}/dt=$date_"
cmd=("$sparktf" samples --engine spark --master "$master")
[ -z "$deploy_mode" ] || cmd+=(--deploy-mode "$deploy_mode")
[ -z "$spark_home" ] || cmd+=(--spark-home "$spark_home")
[ -z "$writer" ] || cmd+=(--writer "$writer")
[ -z "$connector" ] || cmd+=(--connector "$connector")
for kv in "${spark_confs[@]}"; do cmd+=(--spark-conf "$kv"); done
cmd+=(--conf "$conf" --date "$date_" --input "$input" --output "$output")
cmd+=("${extra[@]}")

if [ -n "$lock_dir" ]; then
  mkdir -p "$lock_dir"
  lock_file="$lock_dir/sparktf-$(printf '%s' "$output" | cksum | cut -d' ' -f1).lock"
  exec 9> "$lock_file"
  if ! flock -n 9; then
    log "error: another run for $output holds $lock_file; not starting a second one"
    exit 75
  fi
fi

child=''
forward() { # signal
  log "received SIG$1; passing it on to sparktf (pid ${child:-none})"
  [ -z "$child" ] || kill "-$1" "$child" 2>/dev/null || true
}
trap 'forward TERM' TERM
trap 'forward INT' INT

log "date $date_: starting: ${cmd[*]}"
started=$(date +%s)
# A background job of a non-interactive shell starts with SIGINT ignored; reset it so that sparktf can act on the
# SIGINT passed on below (and exit 130).
( trap - INT QUIT; exec "${cmd[@]}" ) &
child=$!
# wait returns early when a trapped signal arrives; keep waiting until sparktf itself has ended, then take the exit
# code that bash kept for it.
while kill -0 "$child" 2>/dev/null; do
  wait "$child" 2>/dev/null || true
done
status=0
wait "$child" || status=$?
elapsed=$(( $(date +%s) - started ))
if [ "$status" -eq 0 ]; then
  log "date $date_: done in ${elapsed}s; output $output"
else
  log "date $date_: sparktf failed with exit code $status after ${elapsed}s"
fi
exit "$status"
