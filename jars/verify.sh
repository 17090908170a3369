#!/usr/bin/env bash
# Checks connector jars against the SHA-256 checksums pinned in jars/connectors.lock, before they go to a cluster.
#
#   jars/verify.sh [--lib DIR] [--lock FILE] [--print-jars] [JAR ...]
#
# With no JAR, every *.jar in jars/lib/ is checked. A JAR given by bare file name is looked for in jars/lib/. Each
# jar must have an entry in the lock (matched by file name) whose checksum equals the jar's. --print-jars prints the
# checked jars' absolute paths on stdout, comma-separated, ready for spark-submit --jars:
#   spark-submit --jars "$(jars/verify.sh --print-jars spark-tfrecord_2.12-0.7.0.jar)" ...
# Exit codes: 0 every jar matches; 1 a jar is missing, not pinned or does not match; 2 usage error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib=$here/lib
lock=$here/connectors.lock
print_jars=0
names=()

say() { printf '%s verify.sh: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*" >&2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --lib) lib=${2:?--lib needs a value}; shift 2 ;;
    --lock) lock=${2:?--lock needs a value}; shift 2 ;;
    --print-jars) print_jars=1; shift ;;
    -h|--help) usage ;;
    -*) say "unknown option: $1"; usage ;;
    *) names+=("$1"); shift ;;
  esac
done

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

if [ ! -f "$lock" ]; then
  say "error: lock file $lock not found: run jars/fetch.sh on a machine with Maven access and copy connectors.lock along with the jars"
  exit 1
fi

jars=()
if [ ${#names[@]} -eq 0 ]; then
  shopt -s nullglob
  jars=("$lib"/*.jar)
  shopt -u nullglob
  if [ ${#jars[@]} -eq 0 ]; then
    say "error: no jars in $lib: run jars/fetch.sh, or copy the jars there"
    exit 1
  fi
else
  for name in "${names[@]}"; do
    if [[ $name == */* ]]; then jars+=("$name"); else jars+=("$lib/$name"); fi
  done
fi

failures=0
checked=()
for jar in "${jars[@]}"; do
  file=$(basename "$jar")
  if [ ! -f "$jar" ]; then
    say "error: $jar is missing: run jars/fetch.sh, or copy it from a machine that has it"
    failures=$((failures + 1)); continue
  fi
  pinned=$(awk -v f="$file" '!/^#/ && $2 == f { print $1; exit }' "$lock")
  if [ -z "$pinned" ]; then
    say "error: $file is not pinned in $lock: fetch it with jars/fetch.sh, which records its checksum"
    failures=$((failures + 1)); continue
  fi
  actual=$(sha256_of "$jar")
  if [ "$actual" != "$pinned" ]; then
    say "error: checksum mismatch for $jar: SHA-256 $actual, connectors.lock pins $pinned; do not use this jar"
    failures=$((failures + 1)); continue
  fi
  say "ok $file"
  checked+=("$(cd "$(dirname "$jar")" && pwd)/$file")
done

if [ "$failures" -gt 0 ]; then
  say "$failures of ${#jars[@]} jar(s) failed verification"
  exit 1
fi
if [ "$print_jars" -eq 1 ]; then
  (IFS=,; printf '%s\n' "${checked[*]}")
fi
