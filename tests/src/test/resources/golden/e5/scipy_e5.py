#!/usr/bin/env python3
"""SciPy solve_ivp (Radau, BDF, LSODA) on the Test Set problem E5, against the reference of make_reference.py.

Prints, per method, tolerance and absolute-tolerance convention: status, RHS evaluations, y2 and y3 at
t = 1e13, their relative errors, and the invariant y2 - y3 - y4 at the end (0 for the exact solution).
The constants of E5AccuracyTest (solvers module) are the Radau rows of this output.

    /usr/bin/python3 scipy_e5.py                    # atol = 1.7e-20 * rtol (StandardProblems' E5 factor) and 1e-20
    /usr/bin/python3 scipy_e5.py 1.7e-24            # a fixed atol
    /usr/bin/python3 scipy_e5.py tight              # rtol 1e-13, atol 1e-40: the cross-check of the reference

Not used by the build or the tests. Needs numpy and scipy (Debian python3-scipy).
"""
import sys

import numpy as np
import scipy
from scipy.integrate import solve_ivp

A, B, C, M = 7.89e-10, 1.1e7, 1.13e3, 1e6
MC = M * C
# make_reference.py: two Radau IIA runs at 40 and 50 digits agree to 2e-26
REF = 8.861233521291084e-23
FACTOR = 1.7e-20


def f(t, y):
    p1 = A * y[0]
    p2 = B * y[0] * y[2]
    p3 = MC * y[1] * y[2]
    p4 = C * y[3]
    f1 = -p1 - p2
    f2 = p1 - p3
    f4 = p2 - p4
    return [f1, f2, f2 - f4, f4]          # f3 = f2 - f4, as the Test Set's Fortran


def jac(t, y):
    return np.array([[-A - B * y[2], 0.0, -B * y[0], 0.0],
                     [A, -MC * y[2], -MC * y[1], 0.0],
                     [A - B * y[2], -MC * y[2], -B * y[0] - MC * y[1], C],
                     [B * y[2], 0.0, B * y[0], -C]])


def main():
    conventions = sys.argv[1:] or ["factor", "1e-20"]
    print("SciPy %s, numpy %s; reference y2 = y3 = %.16e" % (scipy.__version__, np.__version__, REF))
    if conventions == ["tight"]:
        for method in ("Radau", "BDF", "LSODA"):
            s = solve_ivp(f, (0.0, 1e13), [1.76e-3, 0.0, 0.0, 0.0], method=method, rtol=1e-13, atol=1e-40, jac=jac)
            y = s.y[:, -1]
            print("%-5s rtol=1e-13 atol=1e-40 nfev=%6d y2=%.9e y3=%.9e (y2+y3)/2=%.9e (rel. to REF %.1e) "
                  "y2-y3-y4=% .2e" % (method, s.nfev, y[1], y[2], (y[1] + y[2]) / 2, (y[1] + y[2]) / 2 / REF - 1,
                                      y[1] - y[2] - y[3]), flush=True)
        return
    for conv in conventions:
        for method in ("Radau", "BDF", "LSODA"):
            for k in range(4, 11):
                rtol = 10.0 ** -k
                atol = FACTOR * rtol if conv == "factor" else float(conv)
                s = solve_ivp(f, (0.0, 1e13), [1.76e-3, 0.0, 0.0, 0.0], method=method, rtol=rtol, atol=atol,
                              jac=jac)
                y = s.y[:, -1]
                print("%-5s rtol=%.0e atol=%.2e status=%d nfev=%6d y2=% .6e y3=% .6e rel2=%.2e rel3=%.2e "
                      "y2-y3-y4=% .2e" % (method, rtol, atol, s.status, s.nfev, y[1], y[2], abs(y[1] / REF - 1),
                                          abs(y[2] / REF - 1), y[1] - y[2] - y[3]), flush=True)


if __name__ == "__main__":
    main()
