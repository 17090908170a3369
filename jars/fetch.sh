#!/usr/bin/env bash
# Downloads the Spark TFRecord connector jars listed in jars/connectors.tsv into jars/lib/ (git-ignored) and pins
# their SHA-256 checksums in jars/connectors.lock. Run it on a machine that reaches a Maven repository (Maven Central
# or a mirror); copy jars/lib/ and the lock to machines that do not, and check them there with jars/verify.sh.
#
#   jars/fetch.sh [--connector linkedin|tensorflow] [--spark X.Y] [--scala 2.11|2.12|2.13]
#                 [--repo URL|DIR] [--mvn] [--lib DIR] [--lock FILE] [--table FILE] [--update-lock]
#
# With no filter every jar in the table is fetched (a handful of small jars). --repo takes an http(s):// or file://
# Maven repository URL or a local directory laid out like one; the default is $SPARKTF_MAVEN_REPO, else Maven
# Central. --mvn asks Maven (mvn dependency:copy) instead of curl, so that Maven's settings.xml mirrors and
# credentials apply. Where the repository publishes <jar>.sha1, the download is checked against it. A jar whose
# SHA-256 differs from the one already pinned in the lock is refused (the lock and jars/lib/ stay as they were);
# --update-lock accepts the new checksum, for a deliberate upgrade.
# Exit codes: 0 done; 1 a download or a check failed; 2 usage error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=${SPARKTF_MAVEN_REPO:-https://repo1.maven.org/maven2}
lib=$here/lib
lock=$here/connectors.lock
table=$here/connectors.tsv
connector='' spark='' scala='' use_mvn=0 update_lock=0

say() { printf '%s fetch.sh: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --connector) connector=${2:?--connector needs a value}; shift 2 ;;
    --spark) spark=${2:?--spark needs a value}; shift 2 ;;
    --scala) scala=${2:?--scala needs a value}; shift 2 ;;
    --repo) repo=${2:?--repo needs a value}; shift 2 ;;
    --lib) lib=${2:?--lib needs a value}; shift 2 ;;
    --lock) lock=${2:?--lock needs a value}; shift 2 ;;
    --table) table=${2:?--table needs a value}; shift 2 ;;
    --mvn) use_mvn=1; shift ;;
    --update-lock) update_lock=1; shift ;;
    -h|--help) usage ;;
    *) say "unknown argument: $1"; usage ;;
  esac
done

[ -f "$table" ] || die "connector table $table not found"

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
sha1_of() {
  if command -v sha1sum >/dev/null 2>&1; then sha1sum "$1" | cut -d' ' -f1
  else shasum -a 1 "$1" | cut -d' ' -f1; fi
}

# The rows that match the filters: "group artifact version" per line, de-duplicated, and the selections with no jar.
selected=$(awk -F '\t' -v c="$connector" -v s="$spark" -v k="$scala" '
  /^#/ || $1 == "connector" || NF < 7 { next }
  (c == "" || $1 == c) && (s == "" || $2 == s) && (k == "" || $3 == k) {
    if ($7 == "none") { print "none\t" $1 "\t" $2 "\t" $3 } else { print "jar\t" $4 "\t" $5 "\t" $6 }
  }' "$table" | sort -u)
jars=$(printf '%s\n' "$selected" | awk -F '\t' '$1 == "jar" { print $2 "\t" $3 "\t" $4 }')
if [ -z "$jars" ]; then
  if printf '%s\n' "$selected" | grep -q '^none'; then
    die "no connector jar is published for that selection ($(printf '%s\n' "$selected" | awk -F '\t' '{ printf "%s spark %s scala %s; ", $2, $3, $4 }')use --writer native)"
  fi
  die "no row of $table matches connector='${connector:-any}' spark='${spark:-any}' scala='${scala:-any}'"
fi

mkdir -p "$lib"
work=$(mktemp -d "$lib/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Reads the lock into "file -> sha256 coordinate" lines kept in $work/lock.entries.
: > "$work/lock.entries"
if [ -f "$lock" ]; then
  awk '!/^#/ && NF >= 3 { print $2 "\t" $1 "\t" $3 }' "$lock" > "$work/lock.entries"
fi
pinned_sha() { awk -F '\t' -v f="$1" '$1 == f { print $2 }' "$work/lock.entries"; }

download() { # url destination
  local url=$1 dest=$2
  case $url in
    http://*|https://*)
      if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 2 -o "$dest" "$url"
      else wget -q -O "$dest" "$url"; fi ;;
    file://*) cp "${url#file://}" "$dest" ;;
    *) cp "$url" "$dest" ;;
  esac
}

failures=0
while IFS=$'\t' read -r group artifact version; do
  file="$artifact-$version.jar"
  coordinate="$group:$artifact:$version"
  base="${repo%/}/${group//.//}/$artifact/$version/$file"
  part="$work/$file"
  say "fetching $coordinate"
  if [ "$use_mvn" -eq 1 ]; then
    if ! mvn -q -B dependency:copy -Dartifact="$coordinate:jar" -DoutputDirectory="$work" \
         -DremoteRepositories="sparktf::default::$repo" -Dmdep.overWriteReleases=true >&2; then
      say "error: mvn dependency:copy failed for $coordinate"; failures=$((failures + 1)); continue
    fi
  elif ! download "$base" "$part" 2>/dev/null; then
    say "error: cannot download $base"; failures=$((failures + 1)); continue
  fi
  if [ "$use_mvn" -eq 0 ] && download "$base.sha1" "$part.sha1" 2>/dev/null; then
    expected=$(tr -d ' \r\n' < "$part.sha1" | cut -c1-40)
    actual=$(sha1_of "$part")
    if [ "$expected" != "$actual" ]; then
      say "error: $file does not match the repository's SHA-1 ($actual, published $expected): corrupt download or tampered mirror"
      failures=$((failures + 1)); continue
    fi
  fi
  sha=$(sha256_of "$part")
  pinned=$(pinned_sha "$file")
  if [ -n "$pinned" ] && [ "$pinned" != "$sha" ]; then
    if [ "$update_lock" -eq 0 ]; then
      say "error: $file has SHA-256 $sha but connectors.lock pins $pinned; refusing it (pass --update-lock to accept a deliberate change)"
      failures=$((failures + 1)); continue
    fi
    say "replacing the pinned checksum of $file (--update-lock)"
  fi
  awk -F '\t' -v f="$file" '$1 != f' "$work/lock.entries" > "$work/lock.next"
  printf '%s\t%s\t%s\n' "$file" "$sha" "$coordinate" >> "$work/lock.next"
  mv "$work/lock.next" "$work/lock.entries"
  mv -f "$part" "$lib/$file"
  say "ok $lib/$file sha256=$sha"
done <<< "$jars"

# The lock is rewritten whole (sorted, so that diffs stay small) and moved into place in one step.
{
  echo "# SHA-256 of the connector jars, pinned by jars/fetch.sh and checked by jars/verify.sh. Commit this file."
  echo "# sha256  file  group:artifact:version"
  LC_ALL=C sort "$work/lock.entries" | awk -F '\t' '{ print $2 "  " $1 "  " $3 }'
} > "$work/lock.new"
mv -f "$work/lock.new" "$lock"

if [ "$failures" -gt 0 ]; then
  die "$failures jar(s) failed; see above"
fi
say "done: jars in $lib, checksums in $lock"
