#!/usr/bin/env bash
# gotest.sh [-race] PACKAGES...: go test -count=1, keeping the linked test
# binaries in .cache/test/ so that a package whose code and dependencies did
# not change is not linked again.
#
# go test links every test binary on every run (it caches compiled packages
# and results, not test binaries, and make test always runs the tests), and
# linking was the largest single cost of make test: about 15 CPU-s for the
# race-enabled binaries of a tree where nothing changed. go test -c -o DIR/
# writes the binaries into DIR and leaves one alone when its build ID says it
# is up to date, so after a change only the binaries that depend on the
# changed package are linked again.
#
# The binaries then run as go test runs them: in their package's directory,
# with the same flags (-test.count=1 -test.timeout=15m -test.paniconexit0),
# as many at once as go test -p would (one per CPU), in go list's order.
# Like go test, a package that passes prints one ok line and a failing one
# prints its whole output; the exit status is non-zero if any package failed.
# Unlike go test, a package that does not compile stops the run before any
# test runs (its old binary must not run in its place).
set -uo pipefail
cd "$(dirname "$0")/.."
go=${GO:-go}
build=(-vet=off)
kind=plain
if [ "${1:-}" = -race ]; then
  build+=(-race)
  kind=race
  shift
fi
[ $# -gt 0 ] || { echo "usage: $0 [-race] PACKAGES..." >&2; exit 2; }
bin=$PWD/.cache/test/$kind
mkdir -p "$bin"
# go test -c names the packages without tests on stdout ("?  pkg [no test
# files]"); go test prints them too, but they say nothing here.
"$go" test "${build[@]}" -c -o "$bin/" "$@" | { grep -v '^?' || true; }
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1

# One line per package with tests: import path and directory. go test -c -o
# DIR/ names each binary after the last element of the import path (and
# refuses two packages that share one), so the name is known here.
list=$("$go" list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{.Dir}}{{end}}' "$@") || exit 1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # run IMPORTPATH DIR: one package's tests, its result in $out.
  local pkg=$1 dir=$2 name log start rc us secs
  name=${pkg##*/}
  log=$out/${pkg//\//_}
  start=${EPOCHREALTIME/./}
  (cd "$dir" && exec "$bin/$name.test" -test.paniconexit0 -test.count=1 -test.timeout=15m) >"$log.out" 2>&1
  rc=$?
  us=$((${EPOCHREALTIME/./} - start))
  secs=$((us / 1000000)).$(printf %03d $((us / 1000 % 1000)))
  if [ $rc -eq 0 ]; then
    printf 'ok  \t%s\t%ss\n' "$pkg" "$secs" >"$log.res"
  else
    { cat "$log.out"; printf 'FAIL\t%s\t%ss\n' "$pkg" "$secs"; } >"$log.res"
  fi
  cat "$log.res"
  return $rc
}
export -f run
export bin out
echo "$list" | xargs -P "$(nproc)" -L 1 bash -c 'run "$@"' _
