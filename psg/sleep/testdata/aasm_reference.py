#!/usr/bin/python3
"""Sleep measures of a Sleep-EDF hypnogram computed independently of glusleep,
from the AASM definitions (see ../sleep.go's package comment), with MNE reading
the annotations:

    /usr/bin/python3 aasm_reference.py ../../../../shared/data/psg/mne/SC4001EC-Hypnogram.edf > sc4001ec_stats.json

Window: the scored period (first to last epoch not scored "?"), as the file
has no lights-off/on. Epochs are 30 s; R&K stages 3 and 4 are N3.
"""
import json, sys
import mne

mne.set_log_level("ERROR")
ann = mne.read_annotations(sys.argv[1])
code = {"Sleep stage W": "W", "Sleep stage 1": "N1", "Sleep stage 2": "N2", "Sleep stage 3": "N3",
        "Sleep stage 4": "N3", "Sleep stage R": "R", "Sleep stage ?": "?", "Movement time": "MT"}
epochs = []
for a in ann:
    n = int(round(a["duration"] / 30.0))
    epochs += [code[a["description"]]] * n
scored = [i for i, s in enumerate(epochs) if s != "?"]
win = epochs[scored[0]: scored[-1] + 1]
sleep = [i for i, s in enumerate(win) if s in ("N1", "N2", "N3", "R")]
onset, final = sleep[0], sleep[-1]
spt = win[onset: final + 1]
minutes = lambda n: n * 0.5
awak = 0
prev_w = False
for s in spt:
    if s == "W" and not prev_w:
        awak += 1
    if s == "W":
        prev_w = True
    elif s not in ("?", "MT"):
        prev_w = False
shifts, prev = 0, None
for s in win:
    if s in ("?", "MT"):
        continue
    if prev is not None and s != prev:
        shifts += 1
    prev = s
tst = minutes(sum(1 for s in win if s in ("N1", "N2", "N3", "R")))
tib = minutes(len(win))
first_r = next(i for i, s in enumerate(win) if s == "R")
out = {
    "epochs": len(win), "tib_min": tib, "tst_min": tst, "spt_min": minutes(len(spt)),
    "sleep_onset_latency_min": minutes(onset), "rem_latency_min": minutes(first_r - onset),
    "waso_min": minutes(spt.count("W")), "wake_after_final_awakening_min": minutes(win[final + 1:].count("W")),
    "sleep_efficiency_pct": 100.0 * tst / tib,
    "stage_min": {k: minutes(win.count(k)) for k in ("W", "N1", "N2", "N3", "R", "?", "MT")},
    "awakenings": awak, "stage_shifts": shifts,
}
json.dump(out, sys.stdout, indent=1)
