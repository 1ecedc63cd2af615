#!/usr/bin/env bash
# Runs the demo dataset's participant level as a Slurm job array and the
# group level as a dependent job on a one-node cluster on this machine, and
# checks the result equals the local run's.
set -euo pipefail
bin=$1 demo=$2
bash "$(dirname "$0")/setup-slurm.sh" >/dev/null
out=$(mktemp -d)/derivatives
"$bin" slurm "$demo/bids" "$out" --binary "$bin" --time 00:20:00
bash "$out/slurm/submit.sh"
for i in $(seq 1 600); do
  if [ -z "$(squeue -h -o %i 2>/dev/null)" ]; then break; fi
  sleep 2
done
if [ -n "$(squeue -h -o %i)" ]; then echo "slurm check: jobs still queued after 20 minutes"; squeue; exit 1; fi
diff -u "$demo/derivatives/group/cohort.tsv" "$out/group/cohort.tsv"
diff -u "$demo/derivatives/group/results.txt" "$out/group/results.txt"
n=$(ls -d "$out"/sub-* | wc -l)
echo "slurm check: $n participants as an array job, group job after it; cohort table and results equal the local run's"
