# Shared body of the stand-in bin/spark-submit and bin/spark-sql (a test double of an external program; see
# ../README.md). Sourced by them with FAKE_SPARK_PROGRAM set; bash only.

# The time comes from printf's own %(...)T, not from date in a $(...): while bash waits for a foreground child, a
# SIGINT that the child does not die of is dropped (bash assumes the child handled it), trap or no trap, so a log line
# written as the signal arrives would make the run miss it.
fake_log() {
  local now
  printf -v now '%(%y/%m/%d %H:%M:%S)T' -1
  printf '%s %s %s: %s\n' "$now" "${2:-INFO}" "${3:-FakeSpark}" "$1" >&2
}

# JSON string of $1 (escapes backslash, quote and control characters).
fake_json() {
  local s=$1 out='' i ch code
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  for ((i = 0; i < ${#s}; i++)); do
    ch=${s:i:1}
    printf -v code '%d' "'$ch" 2>/dev/null || code=32
    if [ "$code" -ge 0 ] && [ "$code" -lt 32 ]; then out+=$(printf '\\u%04x' "$code"); else out+=$ch; fi
  done
  printf '"%s"' "$out"
}

# Appends one JSON line to $FAKE_SPARK_RECORD: program, pid, cwd, argv and the environment the launcher set.
fake_record() {
  [ -n "${FAKE_SPARK_RECORD:-}" ] || return 0
  local line name first=1 names
  line="{\"program\":$(fake_json "$FAKE_SPARK_PROGRAM"),\"pid\":$$,\"cwd\":$(fake_json "$PWD"),\"argv\":["
  for arg in "$@"; do
    [ $first -eq 1 ] || line+=','
    first=0
    line+=$(fake_json "$arg")
  done
  line+='],"env":{'
  names="SPARK_HOME SPARK_CONF_DIR HADOOP_CONF_DIR YARN_CONF_DIR JAVA_HOME PYSPARK_PYTHON PYSPARK_DRIVER_PYTHON"
  names+=" SPARK_SUBMIT_OPTS HADOOP_USER_NAME KUBECONFIG ${FAKE_SPARK_RECORD_ENV:-}"
  names+=" $(compgen -e | grep '^SPARKTF_' | tr '\n' ' ')"
  first=1
  for name in $(printf '%s\n' $names | sort -u); do
    [ $first -eq 1 ] || line+=','
    first=0
    if [ -n "${!name+set}" ]; then line+="$(fake_json "$name"):$(fake_json "${!name}")"
    else line+="$(fake_json "$name"):null"; fi
  done
  line+='}}'
  printf '%s\n' "$line" >> "$FAKE_SPARK_RECORD"
}

fake_event() { # appends {"program":..,"event":..} to the record
  [ -n "${FAKE_SPARK_RECORD:-}" ] || return 0
  printf '{"program":%s,"pid":%d,"event":%s}\n' "$(fake_json "$FAKE_SPARK_PROGRAM")" "$$" "$(fake_json "$1")" \
    >> "$FAKE_SPARK_RECORD"
}

fake_child=''
fake_on_signal() { # name exit-code
  fake_log "received $1; stopping (exit $2)" WARN
  fake_event "$1"
  # Every background child, not only $fake_child: a signal can land after `sleep &` and before `fake_child=$!`.
  local children
  children=$(jobs -p)
  [ -z "$children" ] || kill $children 2>/dev/null || true
  exit "$2"
}
if [ "${FAKE_SPARK_IGNORE_TERM:-0}" = 1 ]; then
  trap 'fake_log "received SIGTERM; ignoring it (FAKE_SPARK_IGNORE_TERM=1)" WARN; fake_event SIGTERM-ignored' TERM
else
  trap 'fake_on_signal SIGTERM 143' TERM
fi
trap 'fake_on_signal SIGINT 130' INT

# Sleeps in a child and waits for it, so that a signal is handled at once rather than after the sleep.
fake_sleep() {
  local seconds=$1
  [ "$seconds" != 0 ] || return 0
  # Its output goes nowhere, so that a sleep outliving this script never holds the launcher's pipes open.
  sleep "$seconds" >/dev/null 2>&1 &
  fake_child=$!
  while kill -0 "$fake_child" 2>/dev/null; do wait "$fake_child" 2>/dev/null || true; done
  fake_child=''
}

fake_version_banner() {
  cat >&2 <<BANNER
Welcome to
      ____              __
     / __/__  ___ _____/ /__
    _\ \/ _ \/ _ \`/ __/  '_/
   /___/ .__/\_,_/_/ /_/\_\   version ${FAKE_SPARK_VERSION:-3.5.1}
      /_/

Using Scala version ${FAKE_SPARK_SCALA:-2.12}.18, OpenJDK 64-Bit Server VM, 17.0.10
Branch HEAD
Compiled by user fake on 2024-02-15T11:09:19Z
Type --help for more information.
BANNER
}

# A path of the script as Spark resolves it, as a URI: a file: URI or a bare path is a local file (file:///...), except
# that with FAKE_SPARK_DEFAULT_FS set (a cluster's fs.defaultFS, such as hdfs://fake-nn) a bare absolute path is on that
# file system (hdfs://fake-nn/...), as on a cluster, where the fake has no files; other URIs as they are.
fake_resolve() {
  local p=$1
  case $p in
    file://*) p=file://${p#file://} ;;
    file:*) p=file://${p#file:} ;;
    /*) if [ -n "${FAKE_SPARK_DEFAULT_FS:-}" ]; then p=${FAKE_SPARK_DEFAULT_FS%/}$p; else p=file://$p; fi ;;
  esac
  printf '%s' "$p"
}

# A path the fake writes: the local path of a resolved file: URI; any other URI as it is (not written here).
fake_local() {
  local p
  p=$(fake_resolve "$1")
  case $p in file://*) p=${p#file://} ;; esac
  printf '%s' "$p"
}

# The script's sources (each read's OPTIONS ('path' '<path>', ...); not the tfrecord writer's, which has 'recordType'),
# as Spark resolves them (fake_resolve): appended to $FAKE_SPARK_READS one a line when set; a path on
# FAKE_SPARK_DEFAULT_FS fails the run as Spark does on a path that does not exist (the fake's cluster has no files).
fake_check_reads() {
  local script=$1 path resolved
  [ -f "$script" ] || return 0
  while IFS= read -r path; do
    [ -n "$path" ] || continue
    resolved=$(fake_resolve "$path")
    if [ -n "${FAKE_SPARK_READS:-}" ]; then printf '%s\n' "$resolved" >> "$FAKE_SPARK_READS"; fi
    if [ -n "${FAKE_SPARK_DEFAULT_FS:-}" ] && [[ $resolved == "${FAKE_SPARK_DEFAULT_FS%/}"/* ]]; then
      fake_log "Exception in thread \"main\" org.apache.spark.sql.AnalysisException: [PATH_NOT_FOUND] Path does not exist: $resolved." ERROR SparkSubmit
      exit 1
    fi
  done < <(grep -E "^OPTIONS \('path' '" "$script" | grep -v "'recordType'" | sed -E "s/^OPTIONS \('path' '([^']*)'.*/\1/" || true)
}

# The output folder the script writes: $FAKE_SPARK_OUTPUT, or with FAKE_SPARK_OUTPUT=auto the first
# INSERT OVERWRITE DIRECTORY '<path>' (not the quarantine's '<path>/_quarantine') or OPTIONS (path '<path>') of the
# script, as a local path (fake_local; a path on another file system is left as a URI, and not written).
fake_output_dir() {
  local script=$1 found=''
  case ${FAKE_SPARK_OUTPUT:-} in
    '') return 0 ;;
    auto)
      [ -f "$script" ] || return 0
      found=$(tr '\n' ' ' < "$script" | grep -oiE "INSERT[[:space:]]+OVERWRITE[[:space:]]+(LOCAL[[:space:]]+)?DIRECTORY[[:space:]]+'[^']*'" | grep -v "/_quarantine'\$" | grep -vE "/(events|carry)_[^/']*\.parquet'\$" | head -n 1 | sed -E "s/.*'([^']*)'/\1/" || true)
      if [ -z "$found" ]; then
        found=$(tr '\n' ' ' < "$script" | grep -oiE "USING[[:space:]]+tfrecords?[[:space:]]+OPTIONS[[:space:]]*\([^)]*'?path'?[[:space:]]+'[^']*'" | head -n 1 | sed -E "s/.*'?path'?[[:space:]]+'([^']*)'/\1/" || true)
      fi ;;
    *) found=$FAKE_SPARK_OUTPUT ;;
  esac
  [ -n "$found" ] || return 0
  fake_local "$found"
}

# Writes FAKE_SPARK_PARTS empty part files and, unless FAKE_SPARK_NO_SUCCESS=1, _SUCCESS, like Spark's committer.
fake_write_output() {
  local dir=$1 parts=${FAKE_SPARK_PARTS:-1} i
  [ -n "$dir" ] || return 0
  case $dir in *://*) fake_log "not writing $dir: only local paths are written by the fake" WARN; return 0 ;; esac
  mkdir -p "$dir"
  for ((i = 0; i < parts; i++)); do
    if [ -n "${FAKE_SPARK_PART_SOURCE:-}" ]; then
      # A real file as every part (for example Parquet samples, for the native writer's encode step).
      cp "$FAKE_SPARK_PART_SOURCE" "$dir/$(printf 'part-%05d-fake' "$i").${FAKE_SPARK_PART_SOURCE##*.}"
    else
      : > "$dir/$(printf 'part-%05d-fake.tfrecord' "$i")"
    fi
  done
  if [ "${FAKE_SPARK_NO_SUCCESS:-0}" != 1 ]; then : > "$dir/_SUCCESS"; fi
  fake_log "wrote $parts part file(s) to $dir" INFO FileFormatWriter
}

# The quarantine folder the script writes (its INSERT OVERWRITE DIRECTORY '<path>/_quarantine', as fake_local gives
# it), when the fake writes output at all (FAKE_SPARK_OUTPUT set); nothing for a script without one.
fake_quarantine_dir() {
  local script=$1 found=''
  [ -n "${FAKE_SPARK_OUTPUT:-}" ] && [ -f "$script" ] || return 0
  found=$(tr '\n' ' ' < "$script" | grep -oiE "INSERT[[:space:]]+OVERWRITE[[:space:]]+DIRECTORY[[:space:]]+'[^']*/_quarantine'" | head -n 1 | sed -E "s/.*'([^']*)'/\1/" || true)
  [ -n "$found" ] || return 0
  fake_local "$found"
}

# The bad rows, as Spark's JSON writer leaves them (after the samples, as the script writes them): JSON lines in
# part-NNNNN-<uuid>-c000.json files (FAKE_SPARK_QUARANTINE_PARTS of them, the lines dealt out in order; one empty part
# for no lines) and _SUCCESS. The lines are FAKE_SPARK_QUARANTINE_ROWS's (a file), else one per bad row counted
# (quarantined_<source>=N of FAKE_SPARK_COUNTS) with reason "fake bad row <i> of <source>". FAKE_SPARK_QUARANTINE_FAIL=1
# fails the job while it writes (its task output left in _temporary/, no _SUCCESS, exit 1); FAKE_SPARK_QUARANTINE_SLEEP
# seconds: the task output waits in _temporary/ that long first (to stop a run while it writes);
# FAKE_SPARK_QUARANTINE_NO_SUCCESS=1 leaves out _SUCCESS.
fake_write_quarantine() {
  local dir=$1 parts=${FAKE_SPARK_QUARANTINE_PARTS:-1} uuid lines=() kv source n i p
  [ -n "$dir" ] || return 0
  case $dir in *://*) fake_log "not writing $dir: only local paths are written by the fake" WARN; return 0 ;; esac
  if [ -n "${FAKE_SPARK_QUARANTINE_ROWS:-}" ]; then
    mapfile -t lines < "$FAKE_SPARK_QUARANTINE_ROWS"
  else
    for kv in ${FAKE_SPARK_COUNTS:-}; do
      case $kv in
        quarantined_*=*)
          source=${kv%%=*}; source=${source#quarantined_}; n=${kv#*=}
          for ((i = 1; i <= n; i++)); do
            lines+=("{\"source\":\"$source\",\"file\":\"file:///fake/$source/part-0.csv\",\"row\":null,\"reason\":\"fake bad row $i of $source\",\"raw\":\"{\\\"n\\\":$i}\"}")
          done ;;
      esac
    done
  fi
  uuid=$(cat /proc/sys/kernel/random/uuid 2>/dev/null || echo 00000000-0000-0000-0000-000000000000)
  rm -rf "$dir"
  if [ "${FAKE_SPARK_QUARANTINE_FAIL:-0}" = 1 ]; then
    mkdir -p "$dir/_temporary/0/_temporary/attempt_fake_0000_m_000000_0"
    printf '%s\n' "${lines[@]:0:1}" > "$dir/_temporary/0/_temporary/attempt_fake_0000_m_000000_0/part-00000-$uuid-c000.json"
    fake_log "Job aborted while writing $dir (FAKE_SPARK_QUARANTINE_FAIL=1)" ERROR FileFormatWriter
    exit 1
  fi
  if [ "${FAKE_SPARK_QUARANTINE_SLEEP:-0}" != 0 ]; then
    # A task's output waits in _temporary/ until the job commits it, as with Spark's FileOutputCommitter.
    mkdir -p "$dir/_temporary/0/_temporary/attempt_fake_0000_m_000000_0"
    printf '%s\n' "${lines[@]}" > "$dir/_temporary/0/_temporary/attempt_fake_0000_m_000000_0/part-00000-$uuid-c000.json"
    fake_log "writing the bad rows to $dir" INFO FileFormatWriter
    fake_sleep "$FAKE_SPARK_QUARANTINE_SLEEP"
    rm -rf "$dir"
  fi
  mkdir -p "$dir"
  [ "$parts" -ge 1 ] || parts=1
  for ((p = 0; p < parts; p++)); do : > "$dir/$(printf 'part-%05d' "$p")-$uuid-c000.json"; done
  for ((i = 0; i < ${#lines[@]}; i++)); do
    printf '%s\n' "${lines[i]}" >> "$dir/$(printf 'part-%05d' $((i * parts / ${#lines[@]})))-$uuid-c000.json"
  done
  if [ "${FAKE_SPARK_QUARANTINE_NO_SUCCESS:-0}" != 1 ]; then : > "$dir/_SUCCESS"; fi
  fake_log "wrote ${#lines[@]} bad row(s) in $parts part file(s) to $dir" INFO FileFormatWriter
}

# The backticked column names of the script's one-line statement that starts with "SELECT `$2`" (the last one), up to
# its FROM; nothing when the script has none.
fake_columns() {
  local script=$1 first=$2 line
  [ -f "$script" ] || return 0
  line=$(grep -E "^SELECT \`$first\`" "$script" | tail -n 1 || true)
  line=${line%% FROM*}
  printf '%s' "$line" | grep -oE '`[^`]*`' | tr -d '`' | tr '\n' ' '
}

# The value of a count for the fake: FAKE_SPARK_SAMPLES for sparktf_samples_written, the sums of read_* and
# quarantined_* for sparktf_rows_read and sparktf_rows_bad, else NAME=VALUE from FAKE_SPARK_COUNTS (default 0).
fake_count() {
  local name=$1 kv sum=0
  case $name in
    sparktf_samples_written) printf '%s' "$FAKE_SPARK_SAMPLES"; return ;;
    sparktf_rows_read|sparktf_rows_bad)
      local prefix=read_
      [ "$name" = sparktf_rows_read ] || prefix=quarantined_
      for kv in ${FAKE_SPARK_COUNTS:-}; do
        case $kv in "$prefix"*=*) sum=$((sum + ${kv#*=})) ;; esac
      done
      printf '%s' "$sum"; return ;;
  esac
  for kv in ${FAKE_SPARK_COUNTS:-}; do
    if [ "${kv%%=*}" = "$name" ]; then printf '%s' "${kv#*=}"; return; fi
  done
  printf '0'
}

# A `name=value` line per name (sparktf_samples_written left out: it has its own key line), as the runner writes the
# columns of a row to its report file; see fake_count for the values.
fake_name_values() {
  local name
  for name in $1; do
    [ "$name" = sparktf_samples_written ] || printf '%s=%s\n' "$name" "$(fake_count "$name")"
  done
}

# Prints a query's result row as spark-sql does: with FAKE_SPARK_SAMPLES_FORMAT=header the column names, then the
# values, tab-separated; with plain the values only.
fake_print_row() {
  local names=$1 values='' header='' name
  for name in $names; do
    header+="${header:+$'\t'}$name"
    values+="${values:+$'\t'}$(fake_count "$name")"
  done
  if [ "${FAKE_SPARK_SAMPLES_FORMAT:-key}" = header ]; then printf '%s\n' "$header"; fi
  printf '%s\n' "$values"
}

# Prints the report as the chosen form: key (SPARKTF_SAMPLES_WRITTEN=n), header (spark-sql with
# hive.cli.print.header=true) or plain (spark-sql's default: the values alone). In the header and plain forms the row
# has every column of the script's report statement (see fake_count for the values), or sparktf_samples_written alone
# without a script.
fake_print_samples() {
  [ -n "${FAKE_SPARK_SAMPLES:-}" ] || return 0
  local columns
  columns=$(fake_columns "${fake_script:-}" sparktf_samples_written)
  case ${FAKE_SPARK_SAMPLES_FORMAT:-key} in
    key) printf 'SPARKTF_SAMPLES_WRITTEN=%s\n' "$FAKE_SPARK_SAMPLES" ;;
    header|plain) fake_print_row "${columns:-sparktf_samples_written}" ;;
    *) fake_log "unknown FAKE_SPARK_SAMPLES_FORMAT ${FAKE_SPARK_SAMPLES_FORMAT}" ERROR; exit 2 ;;
  esac
}

# The script's bad-rows check, before anything is written: spark-sql prints the input counts row (and the check's
# NULL); with FAKE_SPARK_FAIL_BAD_ROWS=1 the check fails as Spark's assert_true does (its message on Spark 3.2 and
# later, Spark's own "'...' is not true!" for the one-argument form) and the run exits 1 without output.
fake_bad_rows_check() {
  local script=$1 counts check message
  check=$(grep -E '^SELECT assert_true\(' "$script" 2>/dev/null | head -n 1 || true)
  if [ -z "$check" ]; then
    if [ "${FAKE_SPARK_FAIL_BAD_ROWS:-0}" = 1 ]; then
      fake_log "fake: FAKE_SPARK_FAIL_BAD_ROWS=1 but the script has no assert_true check" ERROR
      exit 1
    fi
    return 0
  fi
  counts=$(fake_columns "$script" sparktf_rows_read)
  if [ "$FAKE_SPARK_PROGRAM" = spark-sql ] && [ -n "$counts" ] && [ "${FAKE_SPARK_SAMPLES_FORMAT:-key}" != key ]; then
    fake_print_row "$counts"
  fi
  if [ "${FAKE_SPARK_FAIL_BAD_ROWS:-0}" = 1 ]; then
    case $check in
      *', concat('*) message="sparktf: too many bad input rows: $(fake_count sparktf_rows_bad) of $(fake_count sparktf_rows_read) rows read are bad (fake)" ;;
      *) message="'sparktf_bad_rows_within_limit#42' is not true!" ;;
    esac
    if [ "${fake_cluster:-0}" = 1 ]; then
      # Cluster mode: the driver's log stays on the cluster; the runner writes the input counts it printed and the
      # failure to its report file, and spark-submit only says that the application failed.
      if [ -n "${fake_report:-}" ]; then
        {
          fake_name_values "$counts"
          printf 'SPARKTF_FAILED=statement 9 of 20 (line 65): Py4JJavaError: An error occurred while calling o77.collectToPython. ... java.lang.RuntimeException: %s\n' "$message"
        } | fake_write_file "$fake_report"
      fi
      fake_log "Exception in thread \"main\" org.apache.spark.SparkException: Application application_1714521600000_0042 finished with failed status" ERROR SparkSubmit
      exit 1
    fi
    fake_log "Failed in [${check:0:80}...]" ERROR SparkSQLDriver
    fake_log "java.lang.RuntimeException: $message" ERROR SparkSQLDriver
    exit 1
  fi
  if [ "$FAKE_SPARK_PROGRAM" = spark-sql ] && [ "${FAKE_SPARK_SAMPLES_FORMAT:-key}" != key ]; then
    if [ "${FAKE_SPARK_SAMPLES_FORMAT}" = header ]; then printf 'sparktf_bad_rows_check\n'; fi
    printf 'NULL\n'
  fi
}

# Writes stdin to the local file $1 (its folder created), as the runner writes its --report file.
fake_write_file() {
  mkdir -p "$(dirname "$1")"
  cat > "$1"
}

# The common run: log lines (FAKE_SPARK_LOG_LINES on stderr, FAKE_SPARK_LOG_INTERVAL seconds apart), then
# The state snapshot's tables the script writes (INSERT OVERWRITE DIRECTORY '<path>/events_<history>.parquet' and
# '<path>/carry_<source>.parquet', as fake_local gives them), when the fake writes output at all: each a folder with one
# part file (a copy of FAKE_SPARK_STATE_PART, else empty) and, unless FAKE_SPARK_STATE_NO_SUCCESS=1, _SUCCESS.
fake_write_state() {
  local script=$1 dir
  [ -n "${FAKE_SPARK_OUTPUT:-}" ] && [ -f "$script" ] || return 0
  while IFS= read -r dir; do
    [ -n "$dir" ] || continue
    dir=$(fake_local "$dir")
    case $dir in *://*) fake_log "not writing $dir: only local paths are written by the fake" WARN; continue ;; esac
    mkdir -p "$dir"
    if [ -n "${FAKE_SPARK_STATE_PART:-}" ]; then cp "$FAKE_SPARK_STATE_PART" "$dir/part-00000-fake.snappy.parquet"; else : > "$dir/part-00000-fake.snappy.parquet"; fi
    if [ "${FAKE_SPARK_STATE_NO_SUCCESS:-0}" != 1 ]; then : > "$dir/_SUCCESS"; fi
    fake_log "wrote the state table $dir" INFO FileFormatWriter
  done < <(tr '\n' ' ' < "$script" | grep -oiE "INSERT[[:space:]]+OVERWRITE[[:space:]]+DIRECTORY[[:space:]]+'[^']*/(events|carry)_[^/']*\.parquet'" | sed -E "s/.*'([^']*)'/\1/" || true)
}

# FAKE_SPARK_SLEEP seconds, then the output, and the exit code FAKE_SPARK_EXIT.
fake_run() {
  local script=$1 app=$2 lines=${FAKE_SPARK_LOG_LINES:-3} i code=${FAKE_SPARK_EXIT:-0}
  fake_log "Running Spark version ${FAKE_SPARK_VERSION:-3.5.1}" INFO SparkContext
  printf 'fake %s: started %s\n' "$FAKE_SPARK_PROGRAM" "$app"
  for ((i = 1; i <= lines; i++)); do
    fake_log "fake progress line $i of $lines" INFO DAGScheduler
    if [ "$i" -lt "$lines" ]; then fake_sleep "${FAKE_SPARK_LOG_INTERVAL:-0}"; fi
  done
  fake_sleep "${FAKE_SPARK_SLEEP:-0}"
  if [ "$code" -ne 0 ]; then
    fake_log "Exception in thread \"main\" org.apache.spark.sql.AnalysisException: fake failure (FAKE_SPARK_EXIT=$code)" ERROR SparkSubmit
    exit "$code"
  fi
  fake_script=$script
  fake_check_reads "$script"
  fake_bad_rows_check "$script"
  fake_write_output "$(fake_output_dir "$script")"
  fake_write_quarantine "$(fake_quarantine_dir "$script")"
  fake_write_state "$script"
}
