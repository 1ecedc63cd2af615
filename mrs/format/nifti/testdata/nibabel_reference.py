#!/usr/bin/python3
"""Reference values for mrs/format/nifti from nibabel (Debian python3-nibabel).

Run from the repository root with ../shared beside it:
    /usr/bin/python3 mrs/format/nifti/testdata/nibabel_reference.py > mrs/format/nifti/testdata/nibabel_reference.json
"""
import json, sys
import nibabel as nib
import numpy as np

files = ["mrs/pregame-synthetic/nifti_synthetic.nii.gz",
         "mrs/pregame-synthetic/nifti_original.nii.gz",
         "mrs/osprey/sub-01_ses-01_SVS-ref_uncombined-coils.nii.gz"]
out = {"nibabel": nib.__version__, "numpy": np.__version__, "files": {}}
for f in files:
    im = nib.load("../shared/data/" + f)
    h = im.header
    d = np.asanyarray(im.dataobj)
    flat = d.reshape(d.shape[:4] + (-1,), order="F")[0, 0, 0]  # points × FIDs, FIDs in column-major order
    ext = [e for e in h.extensions if e.get_code() == 44]
    meta = json.loads(ext[0].get_content()) if ext else {}
    samples = {}
    for k in [0, flat.shape[1] // 2, flat.shape[1] - 1]:
        samples[str(k)] = [[float(v.real), float(v.imag)] for v in flat[:3, k]] + [[float(flat[-1, k].real), float(flat[-1, k].imag)]]
    out["files"][f] = {
        "nifti_version": 2 if isinstance(h, nib.Nifti2Header) else 1,
        "shape": [int(s) for s in d.shape],
        "dwell_s": float(h["pixdim"][4]),
        "voxel_mm": [float(v) for v in h["pixdim"][1:4]],
        "intent_name": h.get_intent()[2],
        "datatype": str(h.get_data_dtype()),
        "spectrometer_frequency_mhz": meta.get("SpectrometerFrequency", [None])[0],
        "echo_time_s": meta.get("EchoTime"),
        "dim_tags": [meta.get("dim_%d" % i) for i in range(5, 8) if ("dim_%d" % i) in meta],
        "json_keys": sorted(meta.keys()),
        "sum_abs": float(np.abs(d.astype(np.complex128)).sum()),
        "samples": samples,
        "sform": [[float(v) for v in row] for row in h.get_sform()],
    }
json.dump(out, sys.stdout, indent=1)
