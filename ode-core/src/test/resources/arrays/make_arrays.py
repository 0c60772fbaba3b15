# Writes the .npy files that ArrayFileTest reads, with NumPy's own writer (numpy.save), so that the reader is
# checked against the format as NumPy writes it. Element (r, c) of every matrix is 10 r + c + 0.25; vector
# element k is k - 2. Run from this folder: python3 make_arrays.py (NumPy 2.4.6 wrote the committed files).
import numpy as np

m = np.array([[10 * r + c + 0.25 for c in range(4)] for r in range(3)])
np.save("m_f8.npy", m)                                      # <f8, C order, version 1.0 header
np.save("m_f4_fortran.npy", np.asfortranarray(m.astype("<f4")))
np.save("m_be.npy", m.astype(">f8"))
v = np.arange(5) - 2
np.save("v_i8.npy", v.astype("<i8"))
np.save("v_u1.npy", (v + 2).astype("u1"))
np.save("v_row.npy", v.astype("<f8").reshape(1, 5))
np.save("s.npy", np.float64(3.5))
with open("m_v2.npy", "wb") as f:
    np.lib.format.write_array(f, m, version=(2, 0))
np.save("t3.npy", np.zeros((2, 2, 2)))
np.save("m_nan.npy", np.array([[1.0, np.nan], [0.0, 1.0]]))
