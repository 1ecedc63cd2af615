#!/usr/bin/python3
"""Sleep measures of the real scoring exports in this folder, worked out
independently of glusleep: the XML is parsed here with Python's
ElementTree, each file's epochs are built from its own stage records, and
the AASM measures are computed from the definitions in
../../sleep/sleep.go's package comment (the same definitions as
../../sleep/testdata/aasm_reference.py). Run:

    /usr/bin/python3 scoring_reference.py > scoring_reference.json

Per file:
  - compumedics_100022: Compumedics CMPStudyConfig; one SleepStages/
    SleepStage code per 30 s epoch from t = 0 (0 W, 1 N1, 2 N2, 3 and 4
    N3, 5 R, anything else unscored).
  - compumedics_100022_nsrr_sdo: the NSRR translator's PSGAnnotation of the
    same study; stage records SDO:WakeState, SDO:NonRapidEyeMovementSleep-N1
    …-N3, SDO:RapidEyeMovementSleep with Start and Duration in s.
  - embla_10007_eventexport: native Embla EventExport; Event Type SLEEP-S0
    (W), -S1, -S2, -S3/-S4 (N3), -REM with StartTime/StopTime clock times;
    times in s from the recording start 2010-01-26 21:29:59 (the EDF start
    the NSRR translation states); LIGHTS-OFF/LIGHTS-ON events.
  - embla_10007_nsrr: the NSRR translator's PSGAnnotation of the same
    study; SRO:Wake, SRO:Stage1Sleep … SRO:Stage3Sleep, SRO:RapidEyeMovement
    records; SRO:LightsOff/SRO:LightsOn events.
Window: lights off to lights on when the file has those events (either one
replacing its end of the scored period), else the scored period (first to
last epoch not unscored).
"""
import datetime
import gzip
import json
import xml.etree.ElementTree as ET

EP = 30.0


def load(name):
    with gzip.open(name + ".xml.gz") as f:
        return ET.parse(f).getroot()


def epochs_from_spans(spans):
    """spans: (onset s, duration s, stage) -> (start s, [stage per epoch])."""
    spans.sort()
    start = spans[0][0]
    out = []
    for on, dur, st in spans:
        at = round((on - start) / EP)
        while len(out) < at:
            out.append("?")
        out += [st] * round(dur / EP)
    return start, out


def compumedics(name):
    root = load(name)
    code = {"0": "W", "1": "N1", "2": "N2", "3": "N3", "4": "N3", "5": "R"}
    st = [code.get(s.text.strip(), "?") for s in root.find("SleepStages")]
    return 0.0, st, None, None


SDO = {"SDO:WakeState": "W", "SDO:NonRapidEyeMovementSleep-N1": "N1", "SDO:NonRapidEyeMovementSleep-N2": "N2",
       "SDO:NonRapidEyeMovementSleep-N3": "N3", "SDO:RapidEyeMovementSleep": "R",
       "SRO:Wake": "W", "SRO:Stage1Sleep": "N1", "SRO:Stage2Sleep": "N2", "SRO:Stage3Sleep": "N3",
       "SRO:Stage4Sleep": "N3", "SRO:RapidEyeMovement": "R"}


def nsrr(name):
    root = load(name)
    spans, off, on = [], None, None
    for ev in root.iter("ScoredEvent"):
        c = ev.findtext("EventConcept")
        if c in SDO:
            spans.append((float(ev.findtext("Start")), float(ev.findtext("Duration")), SDO[c]))
        elif c == "SRO:LightsOff" and off is None:
            off = float(ev.findtext("Start"))
        elif c == "SRO:LightsOn":
            on = float(ev.findtext("Start"))
    s, e = epochs_from_spans(spans)
    return s, e, off, on


def embla(name):
    root = load(name)
    t0 = datetime.datetime(2010, 1, 26, 21, 29, 59)
    sec = lambda s: (datetime.datetime.strptime(s.strip(), "%Y-%m-%dT%H:%M:%S.%f") - t0).total_seconds()
    code = {"SLEEP-S0": "W", "SLEEP-S1": "N1", "SLEEP-S2": "N2", "SLEEP-S3": "N3", "SLEEP-S4": "N3", "SLEEP-REM": "R"}
    spans, off, on = [], None, None
    for ev in root.find("Events"):
        typ = ev.findtext("Type").strip()
        a, b = sec(ev.findtext("StartTime")), sec(ev.findtext("StopTime"))
        if typ in code:
            spans.append((a, b - a, code[typ]))
        elif typ == "LIGHTS-OFF" and off is None:
            off = a
        elif typ == "LIGHTS-ON":
            on = a
    s, e = epochs_from_spans(spans)
    return s, e, off, on


def measures(start, ep, off, on):
    scored = [i for i, s in enumerate(ep) if s != "?"]
    lo, hi = start + scored[0] * EP, start + (scored[-1] + 1) * EP
    src = "scored period"
    if off is not None:
        lo, src = off, "events"
    if on is not None:
        hi, src = on, "events"
    # epochs whose start lies in [lo, hi)
    win = [s for i, s in enumerate(ep) if lo - 1e-9 <= start + i * EP < hi - 1e-9]
    i0 = next(i for i in range(len(ep)) if start + i * EP >= lo - 1e-9)
    m = lambda n: n * EP / 60
    sl = [i for i, s in enumerate(win) if s in ("N1", "N2", "N3", "R")]
    onset, final = sl[0], sl[-1]
    spt = win[onset:final + 1]
    awak, in_w = 0, False
    for s in spt:
        if s == "W":
            if not in_w:
                awak += 1
            in_w = True
        elif s != "?":
            in_w = False
    shifts, prev = 0, None
    for s in win:
        if s == "?":
            continue
        if prev is not None and s != prev:
            shifts += 1
        prev = s
    tst = m(len(sl))
    tib = (hi - lo) / 60
    first_r = next(i for i, s in enumerate(win) if s == "R")
    return {"window_from": src, "lights_off_s": lo, "lights_on_s": hi, "epochs": len(win),
            "tib_min": tib, "tst_min": tst, "spt_min": m(len(spt)),
            "sleep_onset_latency_min": (start + (i0 + onset) * EP - lo) / 60,
            "rem_latency_min": m(first_r - onset), "waso_min": m(spt.count("W")),
            "wake_after_final_awakening_min": m(win[final + 1:].count("W")),
            "sleep_efficiency_pct": 100 * tst / tib,
            "stage_min": {k: m(win.count(k)) for k in ("W", "N1", "N2", "N3", "R", "?")},
            "awakenings": awak, "stage_shifts": shifts, "scored_epochs_in_file": len(ep)}


def labels(name):
    """Counts of the non-stage event labels, as the file names them."""
    root = load(name)
    from collections import Counter
    c = Counter()
    if root.tag == "EventExport":
        for ev in root.find("Events"):
            t = ev.findtext("Type").strip()
            if not t.startswith("SLEEP-"):
                c[t] += 1
    else:
        for ev in root.iter("ScoredEvent"):
            t = (ev.findtext("EventConcept") or ev.findtext("Name") or "").strip()
            if t not in SDO and t != "Recording Start Time":
                c[t] += 1
    return dict(sorted(c.items()))


out = {}
for name, fn in [("compumedics_100022", compumedics), ("compumedics_100022_nsrr_sdo", nsrr),
                 ("embla_10007_eventexport", embla), ("embla_10007_nsrr", nsrr)]:
    out[name] = measures(*fn(name))
    out[name]["event_labels"] = labels(name)
print(json.dumps(out, indent=1, sort_keys=True))
