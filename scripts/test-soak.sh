#!/usr/bin/env bash
# The flake hunt: runs CI (`.ci/run` with CI=true) on a fresh clone of a commit again and again, the
# way CI runs it, and stops at the first red run or after N consecutive green ones. Each run's
# output, duration and result go to a log directory; the summary line per run goes to stdout.
#
#   npm run test:soak -- [--runs N] [--commit REV] [--load K] [--keep]
#
#   --runs N      consecutive green runs wanted (default 10)
#   --commit REV  what to clone (default HEAD of this checkout; committed work only, as CI sees it)
#   --load K      K extra busy-loop processes beside the suite, to hunt flakes that only a starved
#                 machine shows (default 0: the suite's own --parallel=2 keeps both cores busy)
#   --keep        keep each run's clone (default: removed after a green run, kept after a red one)
#
# Logs: $SOAK_DIR (default /tmp/bosun-soak) / <commit>-<n>.log, and summary.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=10 commit=HEAD load=0 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --commit) commit="$2"; shift 2 ;;
    --load) load="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "test-soak: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "test-soak: --runs must be a positive integer" >&2; exit 2; }
[[ "$load" =~ ^[0-9]+$ ]] || { echo "test-soak: --load must be a non-negative integer" >&2; exit 2; }

sha=$(git rev-parse --verify "$commit^{commit}")
short=${sha:0:10}
dir=${SOAK_DIR:-/tmp/bosun-soak}
mkdir -p "$dir"
summary="$dir/summary.tsv"
[ -f "$summary" ] || printf 'commit\trun\tresult\tseconds\tfinished\n' >"$summary"

burners=()
stop_burners() { for p in "${burners[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap stop_burners EXIT
for _ in $(seq 1 "$load"); do (while :; do :; done) & burners+=($!); done

green=0
for n in $(seq 1 "$runs"); do
  clone="$dir/clone-$short-$n"
  rm -rf "$clone"
  git clone -q --no-hardlinks "$PWD" "$clone"
  git -C "$clone" checkout -q "$sha"
  log="$dir/$short-$n.log"
  start=$(date +%s)
  if (cd "$clone" && CI=true bash .ci/run </dev/null >"$log" 2>&1); then result=green; else result=red; fi
  secs=$(($(date +%s) - start))
  printf '%s\t%s\t%s\t%s\t%s\n' "$short" "$n" "$result" "$secs" "$(date -u +%FT%TZ)" >>"$summary"
  echo "run $n of $short: $result in ${secs}s (log $log)"
  if [ "$result" = red ]; then
    echo "red after $green consecutive green run(s); clone kept at $clone"
    grep -nE '✕|FAIL |Tests:.*failed' "$log" | head -20 || true
    exit 1
  fi
  green=$((green + 1))
  [ "$keep" = 1 ] || rm -rf "$clone"
done
echo "$green consecutive green run(s) of $short"
