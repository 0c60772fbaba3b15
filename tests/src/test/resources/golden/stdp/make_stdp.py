#!/usr/bin/python3
"""Golden weights of STDP with event-driven traces (Song, Miller & Abbott 2000; Brian2's example
examples/synapses/STDP.py) from Brian2, for the spiking-network reference test.

One conductance-based LIF neuron receives 1,000 excitatory inputs firing as Poisson processes at 15 Hz for
100 s; the synapses carry additive STDP with event-driven pre- and postsynaptic traces, weights clipped to
[0, gmax]. Parameters are Brian2's example's. After 100 s the weight histogram is bimodal (most weights near 0
or near gmax): the published result.

The inputs are not Brian2's PoissonGroup (its random numbers cannot be reproduced elsewhere) but a
SpikeGeneratorGroup fed with spike trains that neurode's test regenerates bit for bit, with the same law as a
PoissonGroup on a 0.1-ms clock: per input an independent Bernoulli(p = rate * dt) process per step, drawn as
geometric gaps between spike steps.
    generator: SplitMix64 (Steele, Lea & Flood 2014), one stream per input, initial state SEED * 1000003 + i;
               uniform u = ((z >> 11) + 1) * 2^-53 in (0, 1]
    gap:       1 + floor(log(u) / log1p(-p)) steps (geometric on 1, 2, ...: at most one spike per step)
    steps:     the first spike at step gap_1 - 1 (so step 0 can fire), then each next at + gap; spikes at
               steps >= 1,000,000 (100 s) are dropped
The initial weights are w_i = gmax * u_i with u_i the first draw of a SplitMix64 stream with initial state
WEIGHT_SEED * 1000003 + i (Brian2's example draws rand() * gmax).

Run with Debian's python3-brian (Brian2 2.5.1):  /usr/bin/python3 make_stdp.py
It takes a few minutes (Cython target). Writes:
  inputs.csv    per input: spike count and the sum of its spike steps (the test checks its regenerated
                inputs against these before simulating)
  weights.csv   per synapse: initial and final weight
  summary.csv   the output neuron's spike count and the weight histogram (20 bins over [0, gmax])
The tests read the CSV files and never need Brian2.
"""
import os

import numpy as np

N = 1000
RATE_HZ = 15.0
DT_MS = 0.1
STEPS = 1_000_000
SEED = 2000
WEIGHT_SEED = 2001
MASK = (1 << 64) - 1


def splitmix64(state):
    """One SplitMix64 step on an array of uint64 states: (new states, outputs)."""
    state = (state + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(MASK)
    z = state
    z = ((z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & np.uint64(MASK)
    z = ((z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & np.uint64(MASK)
    z = z ^ (z >> np.uint64(31))
    return state, z


def uniform(z):
    return ((z >> np.uint64(11)).astype(np.float64) + 1.0) * 2.0 ** -53


def input_spikes():
    """(indices, steps) of all input spikes, sorted by step then index."""
    p = RATE_HZ * DT_MS * 1e-3
    denominator = np.log1p(-p)
    state = np.array([(SEED * 1000003 + i) & MASK for i in range(N)], dtype=np.uint64)
    step = np.full(N, -1, dtype=np.int64)
    indices, steps = [], []
    alive = np.ones(N, dtype=bool)
    while alive.any():
        state, z = splitmix64(state)
        gap = 1 + np.floor(np.log(uniform(z)) / denominator).astype(np.int64)
        step = np.where(alive, step + gap, step)
        alive &= step < STEPS
        for i in np.nonzero(alive)[0]:
            indices.append(i)
            steps.append(step[i])
    indices = np.array(indices, dtype=np.int64)
    steps = np.array(steps, dtype=np.int64)
    order = np.lexsort((indices, steps))
    return indices[order], steps[order]


def initial_weights(gmax):
    state = np.array([(WEIGHT_SEED * 1000003 + i) & MASK for i in range(N)], dtype=np.uint64)
    _, z = splitmix64(state)
    return gmax * uniform(z)


def main():
    np.seterr(over='ignore')
    from brian2 import (NeuronGroup, SpikeGeneratorGroup, SpikeMonitor, Synapses, defaultclock, ms, mV, prefs,
                        run, start_scope)
    import brian2
    start_scope()
    prefs.codegen.target = 'cython'
    defaultclock.dt = DT_MS * ms
    taum = 10 * ms
    taupre = 20 * ms
    taupost = taupre
    Ee = 0 * mV
    vt = -54 * mV
    vr = -60 * mV
    El = -74 * mV
    taue = 5 * ms
    gmax = .01
    dApre = .01
    dApost = -dApre * taupre / taupost * 1.05
    dApost *= gmax
    dApre *= gmax

    indices, steps = input_spikes()
    inputs = SpikeGeneratorGroup(N, indices, steps * DT_MS * ms)
    neurons = NeuronGroup(1, '''dv/dt = (ge * (Ee-v) + El - v) / taum : volt
                                dge/dt = -ge / taue : 1''',
                          threshold='v>vt', reset='v = vr', method='euler')
    neurons.v = vr
    S = Synapses(inputs, neurons,
                 '''w : 1
                    dApre/dt = -Apre / taupre : 1 (event-driven)
                    dApost/dt = -Apost / taupost : 1 (event-driven)''',
                 on_pre='''ge += w
                        Apre += dApre
                        w = clip(w + Apost, 0, gmax)''',
                 on_post='''Apost += dApost
                         w = clip(w + Apre, 0, gmax)''')
    S.connect()
    w0 = initial_weights(gmax)
    S.w[:] = w0[S.i[:]]
    out = SpikeMonitor(neurons)
    run(STEPS * DT_MS * ms)

    here = os.path.dirname(os.path.abspath(__file__))
    w = np.empty(N)
    w[S.i[:]] = S.w[:]
    with open(os.path.join(here, 'inputs.csv'), 'w') as f:
        f.write('# input spike trains regenerated by the test: count and sum of steps per input (make_stdp.py)\n')
        f.write('input,count,step_sum\n')
        for i in range(N):
            mine = steps[indices == i]
            f.write('%d,%d,%d\n' % (i, mine.size, int(mine.sum())))
    with open(os.path.join(here, 'weights.csv'), 'w') as f:
        f.write('# STDP, Brian2 %s cython target, dt 0.1 ms, 100 s: weights of the 1,000 synapses (make_stdp.py)\n'
                % brian2.__version__)
        f.write('synapse,initial,final\n')
        for i in range(N):
            f.write('%d,%r,%r\n' % (i, float(w0[i]), float(w[i])))
    counts, _ = np.histogram(w / gmax, bins=20, range=(0.0, 1.0))
    with open(os.path.join(here, 'summary.csv'), 'w') as f:
        f.write('# STDP, Brian2 %s: output spikes, input spikes, histogram of final w / gmax in 20 bins (make_stdp.py)\n'
                % brian2.__version__)
        f.write('quantity,value\n')
        f.write('output_spikes,%d\n' % out.num_spikes)
        f.write('input_spikes,%d\n' % indices.size)
        for b, c in enumerate(counts):
            f.write('bin_%02d,%d\n' % (b, c))
    print('%d input spikes, %d output spikes, histogram %s' % (indices.size, out.num_spikes, list(counts)))


if __name__ == '__main__':
    main()
