#!/usr/bin/python3
"""Golden spikes and traces of the AdEx neuron (Brette & Gerstner 2005) from Brian2, for AdexGoldenTest.

The model is examples/models/adex.ode: regular-spiking parameters, a 1 nA current switched on at t = 0,
forward Euler with dt = 0.1 ms for 500 ms, threshold v > VT + 5*DeltaT, reset v = Vr; w += b (no refractory
period). Brian2 runs its numpy target (no compiler needed); the tests read the CSV files and never need Brian2.

Run with Debian's python3-brian (Brian2 2.5.1):  /usr/bin/python3 make_adex.py
Writes spikes.csv (neuron, step, t_ms) and trace.csv (t_ms, v_mV, w_pA every 1 ms, as Brian2's StateMonitor
records them at the start of each step, i.e. after the previous step's resets).
"""
import os

from brian2 import (NeuronGroup, SpikeMonitor, StateMonitor, defaultclock, ms, mV, nS, pA, pF, prefs, run,
                    start_scope)
import brian2

start_scope()
prefs.codegen.target = 'numpy'
defaultclock.dt = 0.1 * ms

C = 281 * pF
gL = 30 * nS
EL = -70.6 * mV
VT = -50.4 * mV
DeltaT = 2 * mV
tauw = 144 * ms
a = 4 * nS
b = 80.5 * pA
Vr = -70.6 * mV
I = 1000 * pA

eqs = """
dv/dt = (gL * (EL - v) + gL * DeltaT * exp((v - VT) / DeltaT) + I - w) / C : volt
dw/dt = (a * (v - EL) - w) / tauw : amp
"""
neuron = NeuronGroup(1, eqs, threshold='v > VT + 5 * DeltaT', reset='v = Vr; w += b', method='euler')
neuron.v = EL
neuron.w = 0 * pA
spikes = SpikeMonitor(neuron)
trace = StateMonitor(neuron, ['v', 'w'], record=0, dt=1 * ms)
run(500 * ms)

here = os.path.dirname(os.path.abspath(__file__))
dt = float(defaultclock.dt / ms)
with open(os.path.join(here, 'spikes.csv'), 'w') as f:
    f.write('# AdEx, Brian2 %s numpy target, euler, dt 0.1 ms, 500 ms (make_adex.py)\n' % brian2.__version__)
    f.write('neuron,step,t_ms\n')
    for i, t in zip(spikes.i[:], spikes.t[:]):
        tm = float(t / ms)
        f.write('%d,%d,%r\n' % (i, int(round(tm / dt)), tm))
with open(os.path.join(here, 'trace.csv'), 'w') as f:
    f.write('# AdEx, Brian2 %s numpy target, euler, dt 0.1 ms: v and w every 1 ms (make_adex.py)\n'
            % brian2.__version__)
    f.write('t_ms,v_mV,w_pA\n')
    for t, v, w in zip(trace.t[:], trace.v[0], trace.w[0]):
        f.write('%r,%r,%r\n' % (float(t / ms), float(v / mV), float(w / pA)))
print('%d spikes' % spikes.num_spikes)
