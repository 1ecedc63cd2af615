#!/usr/bin/python3
"""Writes edfd_gaps.edf, a small EDF+D file with known gaps, byte by byte
from the EDF+ specification (Kemp & Olivan 2003), independently of
glusleep's writer, then reads it with MNE (Debian python3-mne 1.3.0) and
stores MNE's view and the sample times in edfd_gaps_reference.json:

    /usr/bin/python3 make_edfd.py

Layout: 6 data records of 0.5 s; record onsets (time-keeping TALs) 0, 0.5,
3, 3.5, 10.25, 10.75 s (gaps 1.0–3.0 s and 4.0–10.25 s); signal 1 "EEG"
at 8 Hz (4 samples per record), signal 2 "EMG" at 16 Hz (8 samples per
record), digital value = 100·record + sample index, physical = digital
(µV; range ±32768 ↔ ±32768); an annotation "Arousal" at 3.25 s lasting 1 s.

The reference times: MNE 1.3 reads EDF+D as if it were continuous
(raw.times[i] = i/sfreq, 3 s of data, and it drops the arousal at 3.25 s as
"outside data range", although mne.read_annotations reads it); mapped onto
the record onsets, the time of sample i of a signal with n samples per
record is onset[i // n] + (i % n)/rate, with the onsets of the
time-keeping TALs written here (MNE does not expose them). The values are
MNE's, in µV.
"""
import json
import struct

onsets = [0.0, 0.5, 3.0, 3.5, 10.25, 10.75]
dur = 0.5
sigs = [("EEG", 4), ("EMG", 8)]
ann_bytes = 60


def field(s, n):
    s = str(s)
    assert len(s) <= n, s
    return s.ljust(n).encode("ascii")


def tal(k):
    t = "+%g\x14\x14\x00" % onsets[k]
    if k == 2:
        t += "+3.25\x151\x14Arousal\x14\x00"
    b = t.encode("ascii")
    assert len(b) <= 2 * ann_bytes // 2 * 1
    return b.ljust(2 * (ann_bytes // 2), b"\x00")


ns = len(sigs) + 1
hdr = b"".join([
    field("0", 8), field("X X X X", 80), field("Startdate 01-JAN-2020 X X X", 80),
    field("01.01.20", 8), field("22.00.00", 8), field(256 * (ns + 1), 8), field("EDF+D", 44),
    field(len(onsets), 8), field("0.5", 8), field(ns, 4)])
labels = [s[0] for s in sigs] + ["EDF Annotations"]
per = [s[1] for s in sigs] + [ann_bytes // 2]
cols = [
    (labels, 16), (["", "", ""], 80), (["uV", "uV", ""], 8),
    (["-32768", "-32768", "-1"], 8), (["32767", "32767", "1"], 8),
    (["-32768", "-32768", "-32768"], 8), (["32767", "32767", "32767"], 8),
    (["", "", ""], 80), ([str(p) for p in per], 8), (["", "", ""], 32)]
for vals, w in cols:
    hdr += b"".join(field(v, w) for v in vals)
assert len(hdr) == 256 * (ns + 1)
data = b""
for k in range(len(onsets)):
    for _, n in sigs:
        data += struct.pack("<%dh" % n, *[100 * k + j for j in range(n)])
    data += tal(k)
open("edfd_gaps.edf", "wb").write(hdr + data)

import mne  # noqa: E402

mne.set_log_level("ERROR")
raw = mne.io.read_raw_edf("edfd_gaps.edf", preload=True)
ref = {"mne_version": mne.__version__, "record_onsets_s": onsets, "record_duration_s": dur,
       "annotations": [[float(a["onset"]), float(a["duration"]), a["description"]] for a in mne.read_annotations("edfd_gaps.edf")],
       "mne_raw_annotations_kept": len(raw.annotations), "mne_raw_n_times": int(raw.n_times),
       "channels": {}}
for name, n in sigs:
    rate = n / dur
    # MNE resamples every channel to the highest rate; read each channel
    # alone to get its own samples.
    r1 = mne.io.read_raw_edf("edfd_gaps.edf", include=[name], preload=True)
    x = r1.get_data(picks=[name])[0] * 1e6
    times = [onsets[i // n] + (i % n) / rate for i in range(len(x))]
    ref["channels"][name] = {"rate_hz": rate, "mne_sfreq": r1.info["sfreq"],
                             "mne_times_s": [float(t) for t in r1.times],
                             "times_s": times, "values_uv": [round(float(v), 6) for v in x]}
json.dump(ref, open("edfd_gaps_reference.json", "w"), indent=1)
