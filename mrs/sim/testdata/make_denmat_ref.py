#!/usr/bin/python3
"""Reference FIDs for mrs/sim's TestAgainstGradientAveraging.

An independent density-matrix simulation (numpy/scipy, Debian's
python3-numpy and python3-scipy): full Hilbert-space operators, pulses and
free evolution as scipy.linalg.expm of the Hamiltonians, and crusher
gradients as explicit z-rotations averaged over N equally spaced positions,
instead of mrs/sim's coherence-order projection and eigenbasis evolution.

Run from this folder:  /usr/bin/python3 make_denmat_ref.py > denmat_ref.json
"""
import json

import numpy as np
from scipy.linalg import expm

sx = np.array([[0, 0.5], [0.5, 0]], dtype=complex)
sy = np.array([[0, -0.5j], [0.5j, 0]], dtype=complex)
sz = np.array([[0.5, 0], [0, -0.5]], dtype=complex)
e2 = np.eye(2, dtype=complex)


def op(single, k, n):
    m = np.array([[1]], dtype=complex)
    for i in range(n):
        m = np.kron(m, single if i == k else e2)
    return m


def simulate(shifts, couplings, mhz, seq, dwell, npts):
    n = len(shifts)
    ix = [op(sx, k, n) for k in range(n)]
    iy = [op(sy, k, n) for k in range(n)]
    iz = [op(sz, k, n) for k in range(n)]
    fx, fy, fz = sum(ix), sum(iy), sum(iz)
    fplus = fx + 1j * fy
    h = np.zeros((2**n, 2**n), dtype=complex)
    for k, d in enumerate(shifts):
        h += 2 * np.pi * (d - 4.65) * mhz * iz[k]
    for (a, b, j) in couplings:
        h += 2 * np.pi * j * (ix[a] @ ix[b] + iy[a] @ iy[b] + iz[a] @ iz[b])

    def u_evolve(t):
        return expm(-1j * h * t)

    def u_pulse(theta, axis):
        f = fx if axis == "x" else fy
        return expm(-1j * theta * f)

    def u_grad(alpha):
        return expm(-1j * alpha * fz)

    # Sequence as a list of ("p", theta, axis) pulses, ("e", t) delays and
    # ("g", area) crusher lobes; the gradient phase at position phi is
    # area*phi.
    kind = seq["kind"]
    if kind == "press":
        te1, te2 = seq["te1"], seq["te2"]
        steps = [("p", np.pi / 2, "x"), ("e", te1 / 2), ("g", 1), ("p", np.pi, "y"), ("g", 1),
                 ("e", te1 / 2 + te2 / 2), ("g", 3), ("p", np.pi, "y"), ("g", 3), ("e", te2 / 2)]
        nphi = 64
    elif kind == "steam":
        te, tm = seq["te"], seq["tm"]
        steps = [("p", np.pi / 2, "x"), ("e", te / 2), ("g", 1), ("p", np.pi / 2, "x"), ("e", tm),
                 ("g", 5), ("p", np.pi / 2, "x"), ("g", 1), ("e", te / 2)]
        nphi = 64
    elif kind == "slaser":
        te = seq["te"]
        areas = [1, 13, 169, 2197]
        steps = [("p", np.pi / 2, "x"), ("e", te / 8)]
        for k in range(4):
            steps += [("g", areas[k]), ("p", np.pi, "y"), ("g", areas[k])]
            steps.append(("e", te / 4 if k < 3 else te / 8))
        nphi = 32768
    else:
        raise ValueError(kind)

    # Precompute the fixed unitaries; the gradient ones depend on phi.
    fixed = []
    for s in steps:
        if s[0] == "p":
            fixed.append(("u", u_pulse(s[1], s[2])))
        elif s[0] == "e":
            fixed.append(("u", u_evolve(s[1])))
        else:
            fixed.append(("g", s[1]))
    rho0 = fz
    # The gradient rotation is diagonal in the Zeeman basis: exp(-i a phi M)
    # with M the total magnetic quantum number of each basis state.
    mvals = np.real(np.diag(fz))
    acc = np.zeros_like(rho0)
    for m in range(nphi):
        phi = 2 * np.pi * m / nphi
        rho = rho0
        for kind_, v in fixed:
            if kind_ == "u":
                rho = v @ rho @ v.conj().T
            else:
                d = np.exp(-1j * v * phi * mvals)
                rho = (d[:, None] * rho) * d.conj()[None, :]
        acc += rho
    rho = acc / nphi
    ud = u_evolve(dwell)
    out = []
    for _ in range(npts):
        out.append(np.trace(rho @ fplus))
        rho = ud @ rho @ ud.conj().T
    return np.array(out) / (2**n / 4)


def main():
    glu_like = {"shifts": [3.7433, 2.0375, 2.1200], "couplings": [(0, 1, 7.331), (0, 2, 4.651), (1, 2, -14.849)]}
    ax = {"shifts": [1.3, 4.1], "couplings": [(0, 1, 7.0)]}
    ab = {"shifts": [2.10, 2.14], "couplings": [(0, 1, 12.0)]}
    cases = []
    for name, sysdef in [("glu-like ABX", glu_like), ("weak AX", ax), ("strong AB", ab)]:
        for mhz in [63.86, 123.2]:
            for seq in [{"kind": "press", "te1": 0.011, "te2": 0.019},
                        {"kind": "steam", "te": 0.020, "tm": 0.010},
                        {"kind": "steam", "te": 0.143, "tm": 0.0137},
                        {"kind": "slaser", "te": 0.030}]:
                dwell, npts = 0.0005, 16
                fid = simulate(sysdef["shifts"], sysdef["couplings"], mhz, seq, dwell, npts)
                # Remove the sequence's global phase convention with a
                # one-proton singlet through the same sequence; its
                # amplitude (1/2 for STEAM) is kept.
                s = simulate([4.65], [], mhz, seq, dwell, 1)[0]
                fid = fid * np.conj(s) / abs(s)
                cases.append({
                    "name": name, "shifts": sysdef["shifts"],
                    "couplings": [list(c) for c in sysdef["couplings"]],
                    "mhz": mhz, "sequence": seq, "dwell": dwell,
                    "singlet_amplitude": abs(s),
                    "fid_re": [float(v.real) for v in fid], "fid_im": [float(v.imag) for v in fid],
                })
    print(json.dumps({"made_by": "make_denmat_ref.py (numpy %s, scipy expm)" % np.__version__, "cases": cases}, indent=1))


main()
