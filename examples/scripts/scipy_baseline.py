#!/usr/bin/env python3
"""SciPy solve_ivp baseline for `neurode compare-solvers --baseline` (not used by the build or the tests).

Times scipy.integrate.solve_ivp on the same problems, tolerances and absolute-tolerance conventions as
neurode's StandardProblems (atol = rtol * factor), minimum wall time of --repeats runs after one warm-up, and
writes a JSON list of {problem, method, neurodeSolver, rtol, atol, nfev, njev, nlu, wallSeconds, status}.
neurodeSolver names the neurode solver of the same method class, for the ratio table.

    python3 examples/scripts/scipy_baseline.py --out scipy-baseline.json
"""
import argparse
import json
import math
import time

import numpy as np
from scipy.integrate import solve_ivp

MU = 0.012277471


def aren(t, y):
    mup = 1 - MU
    a = (y[0] + MU) ** 2 + y[1] ** 2
    b = (y[0] - mup) ** 2 + y[1] ** 2
    d1 = a * math.sqrt(a)
    d2 = b * math.sqrt(b)
    return [y[2], y[3], y[0] + 2 * y[3] - mup * (y[0] + MU) / d1 - MU * (y[0] - mup) / d2,
            y[1] - 2 * y[2] - mup * y[1] / d1 - MU * y[1] / d2]


def hires(t, y):
    f = [-1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007,
         1.71 * y[0] - 8.75 * y[1],
         -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4],
         8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3],
         -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6],
         -280.0 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6],
         280.0 * y[5] * y[7] - 1.81 * y[6]]
    f.append(-f[6])
    return f


def rober(t, y):
    f0 = -0.04 * y[0] + 1e4 * y[1] * y[2]
    f2 = 3e7 * y[1] * y[1]
    return [f0, -f0 - f2, f2]


def vdpol(t, y):
    return [y[1], 1000.0 * (1 - y[0] ** 2) * y[1] - y[0]]


def hires_jac(t, y):
    j = np.zeros((8, 8))
    j[0, 0:3] = [-1.71, 0.43, 8.32]
    j[1, 0:2] = [1.71, -8.75]
    j[2, 2:5] = [-10.03, 0.43, 0.035]
    j[3, 1:4] = [8.32, 1.71, -1.12]
    j[4, 4:7] = [-1.745, 0.43, 0.43]
    j[5, 3:8] = [0.69, 1.71, -280.0 * y[7] - 0.43, 0.69, -280.0 * y[5]]
    j[6, 5:8] = [280.0 * y[7], -1.81, 280.0 * y[5]]
    j[7] = -j[6]
    return j


def rober_jac(t, y):
    return np.array([[-0.04, 1e4 * y[2], 1e4 * y[1]],
                     [0.04, -1e4 * y[2] - 6e7 * y[1], -1e4 * y[1]],
                     [0.0, 6e7 * y[1], 0.0]])


def vdpol_jac(t, y):
    return np.array([[0.0, 1.0], [-2000.0 * y[0] * y[1] - 1.0, 1000.0 * (1 - y[0] ** 2)]])


def brus(t, y):
    return [1 + y[0] ** 2 * y[1] - 4 * y[0], 3 * y[0] - y[0] ** 2 * y[1]]


def b5(t, y):
    return [y[1] * y[2], -y[0] * y[2], -0.51 * y[0] * y[1]]


# name: (rhs, y0, t_end, atol factor, stiff); the stiff methods get the analytic Jacobians neurode uses
JACOBIANS = {"HIRES": hires_jac, "ROBER": rober_jac, "VDPOLM_MU1000": vdpol_jac}
PROBLEMS = {
    "AREN_DBLDATA": (aren, [0.994, 0.0, 0.0, -2.00158510637908252240537862224], 17.0652165601579625588917206249,
                     1.0, False),
    "BRUS2": (brus, [1.5, 3.0], 20.0, 1.0, False),
    "DETEST_B5": (b5, [0.0, 1.0, 1.0], 20.0, 1.0, False),
    "HIRES": (hires, [1, 0, 0, 0, 0, 0, 0, 0.0057], 321.8122, 1e-3, True),
    "ROBER": (rober, [1.0, 0.0, 0.0], 1e11, 1e-6, True),
    "VDPOLM_MU1000": (vdpol, [2.0, 0.0], 2000.0, 1.0, True),
}
# (SciPy method, neurode solvers it is compared with: the same method first)
NONSTIFF = [("RK45", ["dormand-prince-54", "tsit5"]), ("DOP853", ["dormand-prince-853", "dop853", "vern8"])]
STIFF = [("Radau", ["radau-iia-5", "rodas5p", "bdf"]), ("BDF", ["bdf", "rodas5p", "radau-iia-5"]),
         ("LSODA", ["bdf", "rodas5p", "radau-iia-5"])]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tolerances", default="1e-4,1e-6,1e-8,1e-10")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default="scipy-baseline.json")
    ap.add_argument("--problems", default=",".join(PROBLEMS), help="comma-separated subset (default: all)")
    args = ap.parse_args()
    tols = [float(x) for x in args.tolerances.split(",")]
    rows = []
    for name in args.problems.split(","):
        f, y0, t_end, factor, stiff = PROBLEMS[name]
        for method, neurodes in (STIFF if stiff else NONSTIFF):
            neurode = neurodes[0]
            for rtol in tols:
                atol = rtol * factor
                kw = dict(method=method, rtol=rtol, atol=atol)
                if stiff and name in JACOBIANS:
                    kw["jac"] = JACOBIANS[name]
                try:
                    t0 = time.perf_counter()
                    sol = solve_ivp(f, (0.0, t_end), np.array(y0, dtype=float), **kw)
                    first = time.perf_counter() - t0
                    best = first
                    if first < 2.0:
                        best = math.inf
                        for _ in range(args.repeats):
                            t0 = time.perf_counter()
                            solve_ivp(f, (0.0, t_end), np.array(y0, dtype=float), **kw)
                            best = min(best, time.perf_counter() - t0)
                    rows.append(dict(problem=name, method=method, neurodeSolver=neurode, rtol=rtol, atol=atol,
                                     nfev=int(sol.nfev), njev=int(sol.njev), nlu=int(sol.nlu), wallSeconds=best,
                                     status="SUCCESS" if sol.success else "FAILED",
                                     final=[float(v) for v in sol.y[:, -1]]))
                except Exception as e:  # a failed run is recorded, not dropped
                    rows.append(dict(problem=name, method=method, neurodeSolver=neurode, rtol=rtol, atol=atol,
                                     status="FAILED", message=str(e)))
                for other in neurodes[1:]:
                    rows.append(dict(rows[-1], neurodeSolver=other))
                print(name, method, rtol, rows[-1].get("nfev"), rows[-1].get("wallSeconds"), flush=True)
    with open(args.out, "w") as fh:
        json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
