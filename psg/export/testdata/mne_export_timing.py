#!/usr/bin/python3
"""MNE's side of the export benchmark: read every channel of an EDF with
read_raw_edf(preload=True) and write the same arrays glusleep's
`psg export FILE --out OUT.npz` writes (data as samples × channels float64,
time_s, channels, units, rate_hz) with numpy.savez:

    /usr/bin/time -v /usr/bin/python3 mne_export_timing.py /tmp/glusleep-bench-8h-24ch-256hz.edf /tmp/mne.npz

Prints the wall-clock seconds of the read and of the write.
"""
import sys
import time
import warnings

import mne
import numpy as np

mne.set_log_level("ERROR")
warnings.simplefilter("ignore")
src, dst = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
raw = mne.io.read_raw_edf(src, preload=True)
t1 = time.perf_counter()
data = raw.get_data()  # channels × samples, volts
np.savez(dst, data=(data * 1e6).T, time_s=raw.times, channels=np.array(raw.ch_names),
         units=np.array(["uV"] * len(raw.ch_names)), rate_hz=np.array([raw.info["sfreq"]]))
t2 = time.perf_counter()
print("mne %s: read %.2f s, write %.2f s, total %.2f s" % (mne.__version__, t1 - t0, t2 - t1, t2 - t0))
