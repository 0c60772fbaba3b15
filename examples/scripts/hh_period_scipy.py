#!/usr/bin/env python3
"""Golden numbers of HodgkinHuxleyTest: the interspike interval of the Hodgkin-Huxley axon at 10 uA/cm^2 by
SciPy solve_ivp (three methods at tight tolerances), and how much a 1 % change of one gating rate moves it.
Run: python3 examples/scripts/hh_period_scipy.py (about 40 s)."""
import numpy as np
from scipy.integrate import solve_ivp
def exprel(x): return 1.0 if x == 0 else np.expm1(x) / x
def rates(v):
    am = 1.0 / exprel(-(v + 40) / 10); bm = 4 * np.exp(-(v + 65) / 18)
    ah = 0.07 * np.exp(-(v + 65) / 20); bh = 1 / (1 + np.exp(-(v + 35) / 10))
    an = 0.1 / exprel(-(v + 55) / 10); bn = 0.125 * np.exp(-(v + 65) / 80)
    return am, bm, ah, bh, an, bn
def f(t, y, I):
    v, m, h, n = y
    am, bm, ah, bh, an, bn = rates(v)
    dv = I - 120 * m**3 * h * (v - 50) - 36 * n**4 * (v + 77) - 0.3 * (v + 54.387)
    return [dv, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]
am, bm, ah, bh, an, bn = rates(-65.0)
y0 = [-65.0, am / (am + bm), ah / (ah + bh), an / (an + bn)]
def up(t, y, I): return y[0]
up.direction = 1
for method, tol in [("DOP853", 1e-12), ("Radau", 1e-11), ("LSODA", 1e-12)]:
    sol = solve_ivp(f, (0, 200), y0, method=method, rtol=tol, atol=tol, args=(10.0,), events=up)
    s = sol.t_events[0]
    print(method, tol, len(s), "last period %.12f prev %.12f" % (s[-1] - s[-2], s[-2] - s[-3]), "spikes", " ".join("%.9f" % x for x in s[-3:]))
# sensitivity: every rate of one gate scaled by 1.01
base = None
for k in range(7):
    scale = [1.0]*6
    if k > 0: scale[k-1] = 1.01
    def g(t, y, I, scale=scale):
        v, m, h, n = y
        r = [a*b for a, b in zip(rates(v), scale)]
        am, bm, ah, bh, an, bn = r
        dv = I - 120 * m**3 * h * (v - 50) - 36 * n**4 * (v + 77) - 0.3 * (v + 54.387)
        return [dv, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]
    sol = solve_ivp(g, (0, 200), y0, method="DOP853", rtol=1e-10, atol=1e-10, args=(10.0,), events=up)
    s = sol.t_events[0]
    print("scaled rate", k, "period %.6f" % (s[-1]-s[-2]))
