#!/usr/bin/python3
"""Write MNE's reading of written.edf (the EDF writer's regression
snapshot) as JSON: sampling rate, measurement date, channel names, every
sample in MNE's units (volts) and the annotations (onset s from the first
sample, duration s, description).

Run with Debian's Python (python3-mne), in this folder:
    /usr/bin/python3 mne_written.py > mne_written.json
"""
import json, sys, warnings
import mne

mne.set_log_level("ERROR")
warnings.simplefilter("ignore")
raw = mne.io.read_raw_edf("written.edf", preload=True, stim_channel=None)
md = raw.info["meas_date"]
json.dump({
    "mne_version": mne.__version__,
    "sfreq": raw.info["sfreq"],
    "meas_date": md.isoformat() if md is not None else None,
    "ch_names": raw.ch_names,
    "data": [[float(v) for v in ch] for ch in raw.get_data()],
    "annotations": [[float(a["onset"]), float(a["duration"]), a["description"]] for a in raw.annotations],
}, sys.stdout, indent=0, ensure_ascii=False)
