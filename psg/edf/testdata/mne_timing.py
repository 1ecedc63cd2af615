#!/usr/bin/python3
"""Time MNE reading the benchmark file written by `go test -bench ReadAll`.

    /usr/bin/python3 mne_timing.py /tmp/glusleep-bench-8h-20ch-256hz.edf
prints the best of 3 wall-clock times of read_raw_edf(..., preload=True) and
of reading one channel (include=[name], preload=True).
"""
import sys, time, warnings
import mne
mne.set_log_level("ERROR"); warnings.simplefilter("ignore")
p = sys.argv[1]
def best(f, n=3):
    t = []
    for _ in range(n):
        t0 = time.perf_counter(); f(); t.append(time.perf_counter() - t0)
    return min(t)
print("mne", mne.__version__)
print("all channels: %.3f s" % best(lambda: mne.io.read_raw_edf(p, preload=True)))
print("one channel:  %.3f s" % best(lambda: mne.io.read_raw_edf(p, preload=True, include=["EEG D"])))
