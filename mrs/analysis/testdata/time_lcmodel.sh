#!/bin/sh
# Times LCModel 6.3 and glusleep's `mrs fit` path on the same spectrum,
# alternately, on one machine: Osprey's sub-01 (Philips 3 T PRESS TE 35 ms)
# with glusleep's simulated basis (README.md in this folder says more).
#
# usage (from the repository root):
#   mrs/analysis/testdata/time_lcmodel.sh /path/to/lcmodel [RUNS]
#
# Needs ../shared/data/mrs/osprey, Go, /usr/bin/time and the LCModel Linux
# binary (github.com/schorschinho/LCModel, binaries/linux/lcmodel.xz,
# unpacked; it needs libgfortran5). Prints, per run, LCModel's user+system
# CPU seconds and the benchmark's line (cpu-ns/op is glusleep's CPU per
# spectrum); then both medians and their ratio. Tests never run it.
set -eu
lcm=${1:?usage: $0 /path/to/lcmodel [RUNS]}
runs=${2:-5}
case $lcm in /*) ;; *) lcm=$(pwd)/$lcm ;; esac
osprey=../shared/data/mrs/osprey
[ -f "$osprey/sub-01_PRESS_35_act.sdat" ] || { echo "$osprey/sub-01_PRESS_35_act.sdat not found (run from the repository root)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/glusleep" ./cmd/glusleep
go test -c -o "$work/analysis.test" ./mrs/analysis
"$work/glusleep" mrs convert "$osprey/sub-01_PRESS_35_act.sdat" "$work/sub01.RAW" >/dev/null
"$work/glusleep" mrs convert "$osprey/sub-01_PRESS_35_ref.sdat" "$work/ref.RAW" >/dev/null
mv "$work/ref.RAW" "$work/sub01.H2O"
"$work/glusleep" mrs basis --like "$osprey/sub-01_PRESS_35_act.sdat" --out "$work/glusleep_press35.BASIS" >/dev/null
# The control file LCModel was run with for mrs/results/testdata/sub01.*
# (written by lcmodel.WriteControl).
cp mrs/results/testdata/sub01.control "$work/"
root=$(pwd)
cd "$work"
: >lcm.txt
: >go.txt
i=0
while [ $i -lt "$runs" ]; do
	/usr/bin/time -f '%U %S' -o t.txt "$lcm" <sub01.control >/dev/null
	awk '{printf "%.2f\n", $1 + $2}' t.txt >>lcm.txt
	echo "run $((i + 1)): LCModel $(tail -1 lcm.txt) s CPU"
	(cd "$root/mrs/analysis" && "$work/analysis.test" -test.run XXX -test.bench BenchmarkMRSFitSpectrum -test.benchtime 10x -test.cpu 1) |
		grep '^Benchmark' | tee -a bench.txt | awk '{for (k = 1; k < NF; k++) if ($(k + 1) == "cpu-ns/op") print $k / 1e9}' >>go.txt
	echo "run $((i + 1)): glusleep $(tail -1 go.txt) s CPU ($(tail -1 bench.txt | tr -s ' \t' ' '))"
	i=$((i + 1))
done
med() { sort -g "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
l=$(med lcm.txt)
g=$(med go.txt)
echo "median CPU per spectrum: LCModel $l s, glusleep $g s, ratio $(awk -v l="$l" -v g="$g" 'BEGIN {printf "%.0f", l / g}')"
