#!/usr/bin/python3
"""Golden spikes and traces of Brian2's summed variables and clock-driven synapse equations, for
ClockDrivenGoldenTest.

1. Brian2's example examples/synapses/gapjunctions.py (examples/models/gap_junctions.ode): 10 leaky
   integrate-and-fire neurons (dv/dt = (v0 - v + Igap) / tau, v0 = 1.05, tau = 10 ms, threshold v > 1, reset
   v = 0, v starting at i / 9), coupled all-to-all (i == j included) by gap junctions with the summed variable
   Igap_post = w * (v_pre - v_post), w = 0.02; method 'exact', dt 0.1 ms, 500 ms.
   Writes gap_spikes.csv (neuron, step, t_ms) and gap_trace.csv (t_ms, v of the 10 neurons, Igap of neuron 0,
   every 1 ms).
2. Brian2's example examples/synapses/nonlinear.py (NMDA-like synapses): 2 input neurons (dv/dt = 1 / (10 ms),
   threshold v > 1, reset v = 0, v starting at 0 and 0.5; method 'euler'), 1 target neuron (dv/dt = (g - v) /
   (10 ms), method 'linear'), synapses with dg_syn/dt = -a g_syn + b x (1 - g_syn) and dx/dt = -c x, both
   clock-driven, g_post = g_syn (summed), on_pre x += w, w = 1 and 10, a = b = c = 1 / (10 ms); 1000 ms at
   dt 0.1 ms. The synapses' method is 'euler' (what Brian2 picks for this nonlinear system). One change: the
   inputs' threshold is v > 0.995 instead of v > 1. v rises by exactly 0.01 per step from 0 (or 0.5), so v > 1
   is decided by the last bits of a sum of 100 increments (Brian2's is 1.0000000000000007); neurode's steps
   t_k+1 - t_k on its grid t_0 + k dt differ from dt by a few ulps, and the sum can end on the other side of 1.
   Halfway between two steps' values, the threshold 0.995 is crossed on the same step by both (every 10 ms).
   Writes nonlinear_euler.csv (t_ms, g_syn of both synapses, x of both, v and g of the target, every 1 ms).
3. The same network with only x clock-driven and g_post = x (summed): a linear relaxation with a constant
   coefficient, which Brian2's default method integrates exactly ('exact'), as neurode does.
   Writes nonlinear_exact.csv (t_ms, x of both synapses, v and g of the target, every 1 ms).

Brian2 runs its numpy target (no compiler needed); StateMonitors record at the start of each step (before the
summed variables of that step). The tests read the CSV files and never need Brian2.

Run with Debian's python3-brian (Brian2 2.5.1):  /usr/bin/python3 make_clock.py
"""
import os

import numpy as np
from brian2 import (Network, NeuronGroup, SpikeMonitor, StateMonitor, Synapses, defaultclock, ms, prefs,
                    start_scope)
import brian2

prefs.codegen.target = 'numpy'
here = os.path.dirname(os.path.abspath(__file__))
header = '# Brian2 %s numpy target, dt 0.1 ms (make_clock.py): ' % brian2.__version__


def gap_junctions():
    start_scope()
    defaultclock.dt = 0.1 * ms
    n = 10
    ns = dict(v0=1.05, tau=10 * ms)
    eqs = '''
    dv/dt = (v0 - v + Igap) / tau : 1
    Igap : 1 # gap junction current
    '''
    neurons = NeuronGroup(n, eqs, threshold='v > 1', reset='v = 0', method='exact', namespace=ns)
    neurons.v = 'i * 1.0 / (n - 1)'
    S = Synapses(neurons, neurons, '''
                 w : 1 # gap junction conductance
                 Igap_post = w * (v_pre - v_post) : 1 (summed)
                 ''')
    S.connect()
    S.w = .02
    trace = StateMonitor(neurons, ['v', 'Igap'], record=True, dt=1 * ms)
    spikes = SpikeMonitor(neurons)
    net = Network(neurons, S, trace, spikes)
    net.run(500 * ms)
    with open(os.path.join(here, 'gap_spikes.csv'), 'w') as f:
        f.write(header + 'gap junctions, exact, 500 ms\n')
        f.write('neuron,step,t_ms\n')
        for i, t in zip(spikes.i[:], spikes.t[:]):
            tm = float(t / ms)
            f.write('%d,%d,%r\n' % (i, int(round(tm / 0.1)), tm))
    with open(os.path.join(here, 'gap_trace.csv'), 'w') as f:
        f.write(header + 'gap junctions: v of the 10 neurons and Igap of neuron 0 every 1 ms\n')
        f.write('t_ms,' + ','.join('v%d' % k for k in range(n)) + ',Igap0\n')
        for k, t in enumerate(trace.t[:]):
            f.write('%r,' % float(t / ms) + ','.join('%r' % float(trace.v[m][k]) for m in range(n))
                    + ',%r\n' % float(trace.Igap[0][k]))
    return spikes.num_spikes


def nonlinear(exact):
    start_scope()
    defaultclock.dt = 0.1 * ms
    ns = dict(a=1 / (10 * ms), b=1 / (10 * ms), c=1 / (10 * ms))
    inp = NeuronGroup(2, 'dv/dt = 1/(10*ms) : 1', threshold='v>0.995', reset='v = 0', method='euler',
                      namespace=ns)
    neurons = NeuronGroup(1, '''dv/dt = (g-v)/(10*ms) : 1
                                g : 1''', method='linear', namespace=ns)
    if exact:
        S = Synapses(inp, neurons, '''
                     g_post = x : 1 (summed)
                     dx/dt = -c*x : 1 (clock-driven)
                     w : 1
                     ''', on_pre='x += w', namespace=ns)
    else:
        S = Synapses(inp, neurons, '''
                     dg_syn/dt = -a*g_syn+b*x*(1-g_syn) : 1 (clock-driven)
                     g_post = g_syn : 1 (summed)
                     dx/dt=-c*x : 1 (clock-driven)
                     w : 1 # synaptic weight
                     ''', on_pre='x += w', method='euler', namespace=ns)
    S.connect()
    S.w = [1., 10.]
    inp.v = [0., 0.5]
    M = StateMonitor(S, ['x'] if exact else ['g_syn', 'x'], record=True, dt=1 * ms)
    Mn = StateMonitor(neurons, ['v', 'g'], record=0, dt=1 * ms)
    net = Network(inp, neurons, S, M, Mn)
    net.run(1000 * ms)
    name = 'nonlinear_exact.csv' if exact else 'nonlinear_euler.csv'
    with open(os.path.join(here, name), 'w') as f:
        f.write(header + ('x clock-driven (exact), g_post = x summed' if exact
                          else 'nonlinear.py, synapses euler') + ', 1000 ms, every 1 ms\n')
        f.write('t_ms,' + ('' if exact else 'g_syn0,g_syn1,') + 'x0,x1,v,g\n')
        for k, t in enumerate(M.t[:]):
            cols = [] if exact else [M.g_syn[0][k], M.g_syn[1][k]]
            cols += [M.x[0][k], M.x[1][k], Mn.v[0][k], Mn.g[0][k]]
            f.write('%r,' % float(t / ms) + ','.join('%r' % float(c) for c in cols) + '\n')
    if not exact:
        print(net.scheduling_summary())


print('gap junctions: %d spikes' % gap_junctions())
nonlinear(False)
nonlinear(True)
