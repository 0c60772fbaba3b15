#!/usr/bin/env python3
"""SciPy LSODA (ODEPACK, Adams/BDF switching) on neurode's stiff standard problems, for the BDF comparison.

The same problems, end times, atol convention (atol = rtol * factor) and analytic Jacobians as
org.neurode.solvers.compare.StandardProblems and cvode_stiff.c beside this file. Minimum wall time of --repeats
runs after one warm-up; errors against the Test Set references. Writes CSV to stdout (not used by the build or
the tests; the committed results are in results/).

    python3 examples/scripts/cvode/lsoda_stiff.py --repeats 7 > examples/scripts/cvode/results/lsoda.csv
"""
import argparse
import math
import sys
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from scipy_baseline import PROBLEMS, JACOBIANS  # noqa: E402  (one copy of the problem definitions)

REFERENCES = {
    "ROBER": [0.2083340149701255e-7, 0.8333360770334713e-13, 0.9999999791665050],
    "HIRES": [0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
              0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2],
    "VDPOLM_MU1000": [0.1706167732170469e1, -0.8928097010248125e-3],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tolerances", default="1e-4,1e-5,1e-6,1e-7,1e-8,1e-9,1e-10")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--method", default="LSODA")
    args = ap.parse_args()
    print("# SciPy %s, numpy %s, method %s" % (scipy.__version__, np.__version__, args.method))
    print("problem,rtol,atol,nfev,njev,nlu,steps,maxAbsError,maxRelError,mescd,wallMs,status")
    for name in ("ROBER", "HIRES", "VDPOLM_MU1000"):
        f, y0, t_end, factor, _ = PROBLEMS[name]
        ref = REFERENCES[name]
        for rtol in [float(x) for x in args.tolerances.split(",")]:
            kw = dict(method=args.method, rtol=rtol, atol=rtol * factor, jac=JACOBIANS[name])
            sol = solve_ivp(f, (0.0, t_end), np.array(y0, dtype=float), **kw)
            best = math.inf
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                solve_ivp(f, (0.0, t_end), np.array(y0, dtype=float), **kw)
                best = min(best, time.perf_counter() - t0)
            y = sol.y[:, -1]
            err = [abs(y[i] - ref[i]) for i in range(len(ref))]
            rel = max(e / abs(r) for e, r in zip(err, ref) if r != 0.0)
            mescd = min(17.0 if e == 0 else -math.log10(e / (factor + abs(r))) for e, r in zip(err, ref))
            print("%s,%g,%g,%d,%d,%d,%d,%.3e,%.3e,%.2f,%.3f,%s" % (
                name, rtol, rtol * factor, sol.nfev, sol.njev, sol.nlu, len(sol.t) - 1, max(err), rel, mescd,
                1e3 * best, "SUCCESS" if sol.success else "FAILED"), flush=True)


if __name__ == "__main__":
    main()
