#!/usr/bin/python3
"""Write MNE's reading of the shared EDF/BDF test files as JSON.

Run with Debian's Python (python3-mne):
    /usr/bin/python3 mne_reference.py ../../../../shared/data/psg > mne_reference.json
For each file: MNE's channel names, sampling rates, number of samples, the
original physical unit of each channel, and per channel the sum, the sum of
squares and 12 samples at fixed positions, all in MNE's units (volts for
voltage channels, as read_raw_* scales them), plus the annotations (onset s
from the first sample, duration s, description) and meas_date.
"""
import json, os, sys, warnings
import numpy as np
import mne

mne.set_log_level("ERROR")
warnings.simplefilter("ignore")
root = sys.argv[1]
out = {"mne_version": mne.__version__, "files": {}}
for sub in ("mne", "pyedflib"):
    for name in sorted(os.listdir(os.path.join(root, "psg", sub))):
        path = os.path.join(root, "psg", sub, name)
        rel = sub + "/" + name
        try:
            if name.lower().endswith(".bdf"):
                raw = mne.io.read_raw_bdf(path, preload=True, stim_channel=None)
            else:
                raw = mne.io.read_raw_edf(path, preload=True, stim_channel=None)
            data = raw.get_data()
        except Exception as e:  # annotation-only files: annotations only
            ann = mne.read_annotations(path)
            out["files"][rel] = {"annotations_only": True,
                                 "annotations": [[float(a["onset"]), float(a["duration"]), a["description"]] for a in ann]}
            continue
        n = data.shape[1]
        pos = sorted(set([0, 1, 2, n // 7, n // 3, n // 2, (2 * n) // 3, n - 3, n - 2, n - 1, min(n - 1, 1000), min(n - 1, 12345)]))
        chans = []
        orig = getattr(raw, "_orig_units", {}) or {}
        for i, ch in enumerate(raw.ch_names):
            x = data[i]
            chans.append({
                "name": ch,
                "sfreq": raw.info["sfreq"],
                "unit": orig.get(ch, ""),
                "sum": float(np.sum(x)),
                "sumsq": float(np.sum(x * x)),
                "positions": pos,
                "values": [float(x[p]) for p in pos],
            })
        md = raw.info["meas_date"]
        out["files"][rel] = {
            "n_times": int(n),
            "sfreq": raw.info["sfreq"],
            "meas_date": md.isoformat() if md is not None else None,
            "channels": chans,
            "annotations": [[float(a["onset"]), float(a["duration"]), a["description"]] for a in raw.annotations],
        }
json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
