#!/usr/bin/python3
"""NumPy's side of NpyFileTest: arrays saved by numpy.save, and what numpy.load reads from files neurode wrote.

1. Saves the test's arrays with numpy.save (numpy_*.npy): NpyFileTest checks that neurode writes the same bytes.
2. Loads the files neurode wrote for the same arrays (neurode_*.npy in the folder given as argument, written by
   NpyFileTest's arrays through org.neurode.core.io.NpyFile) and writes numpy_loaded.txt: per file its name, dtype,
   shape and values (repr), which NpyFileTest compares with the arrays. The tests never need Python.

Run once on the development machine (Debian's python3-numpy):  /usr/bin/python3 make_npy.py DIR
"""
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
arrays = {
    'f8_matrix': np.array([[0.1, -2.5], [1e-300, 3.0], [6.02e23, -0.0]], dtype='<f8'),
    'f8_vector': np.array([1.5, 2.25, -7.0], dtype='<f8'),
    'i4_vector': np.array([0, 7, -3, 2147483647], dtype='<i4'),
    'f8_empty': np.zeros((0, 3), dtype='<f8'),
}
for name, a in arrays.items():
    np.save(os.path.join(here, f'numpy_{name}.npy'), a)

folder = sys.argv[1]
with open(os.path.join(here, 'numpy_loaded.txt'), 'w') as f:
    f.write(f'# numpy {np.__version__}: name; dtype; shape; values\n')
    for name in arrays:
        a = np.load(os.path.join(folder, f'neurode_{name}.npy'))
        assert a.dtype == arrays[name].dtype and a.shape == arrays[name].shape, name
        assert np.array_equal(a, arrays[name]) and np.array_equal(np.signbit(a), np.signbit(arrays[name])), name
        values = ' '.join(repr(v.item()) for v in a.ravel())
        f.write(f'neurode_{name}.npy; {a.dtype.str}; {a.shape}; {values}\n')
