#!/usr/bin/python3
"""Golden population rates from Brian2's PopulationRateMonitor and smooth_rate, for PopulationRateTest.

Ten neurons of a SpikeGeneratorGroup fire given spikes (neuron, step) with dt = 0.1 ms over 20 ms; Brian2 records
the population rate per time step and smooths it with a flat window of 1.05 ms and a Gaussian one of 0.4 ms.
Brian2 runs its numpy target; the test reads the CSV files and never needs Brian2.

Run with Debian's python3-brian (Brian2 2.5.1):  /usr/bin/python3 make_rate.py
Writes spikes.csv (neuron, step) and rate.csv (t_ms, rate_Hz, flat_Hz, gaussian_Hz), values printed with repr.
"""
import os

import numpy as np
from brian2 import (Network, PopulationRateMonitor, SpikeGeneratorGroup, defaultclock, ms, prefs, start_scope)

start_scope()
prefs.codegen.target = 'numpy'
defaultclock.dt = 0.1 * ms

rng = np.random.default_rng(7)
steps = 200
pairs = sorted({(int(i), int(k)) for i, k in zip(rng.integers(0, 10, 90), rng.integers(0, steps, 90))},
               key=lambda p: (p[1], p[0]))
indices = np.array([p[0] for p in pairs])
times = np.array([p[1] for p in pairs]) * 0.1 * ms
group = SpikeGeneratorGroup(10, indices, times, dt=0.1 * ms)
rate = PopulationRateMonitor(group)
net = Network(group, rate)
net.run(steps * 0.1 * ms)

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'spikes.csv'), 'w') as f:
    f.write('neuron,step\n')
    for i, k in pairs:
        f.write(f'{i},{k}\n')
flat = rate.smooth_rate('flat', 1.05 * ms) / 1.0
gauss = rate.smooth_rate('gaussian', 0.4 * ms) / 1.0
with open(os.path.join(here, 'rate.csv'), 'w') as f:
    f.write('t_ms,rate_Hz,flat_Hz,gaussian_Hz\n')
    for k in range(len(rate.t)):
        f.write(f'{float(rate.t[k] / ms)!r},{float(rate.rate_[k])!r},{float(flat[k])!r},{float(gauss[k])!r}\n')
