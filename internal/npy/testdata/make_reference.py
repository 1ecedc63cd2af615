#!/usr/bin/python3
"""Reference .npy/.npz files written by NumPy (Debian python3-numpy 1.24.2):

    /usr/bin/python3 make_reference.py

TestMatchesNumPy writes the same arrays with package npy and compares the
bytes: .npy files must be identical; the .npz members' bytes likewise.
"""
import numpy as np

np.save("f8_3x2.npy", np.array([[0.0, 1.5], [-2.25, 1e-300], [3.0e10, -0.0]], dtype="<f8"))
np.save("f4_5.npy", np.array([1, -1, 0.5, 1e6, -3.25], dtype="<f4"))
np.save("U_labels.npy", np.array(["EEG Fpz-Cz", "Leg L", "µV"], dtype="<U10"))
np.save("f8_empty.npy", np.zeros((0, 3), dtype="<f8"))
