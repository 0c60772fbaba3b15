#!/usr/bin/python3
"""Golden connectivity, initial values and spikes of the CUBA network (Brette et al. 2007) from Brian2, for
CubaGoldenTest.

Brian2's example examples/CUBA.py: 4000 leaky integrate-and-fire neurons (3200 excitatory, 800 inhibitory),
current-based exponential synapses (ge += we, gi += wi), connection probability 0.02, threshold v > -50 mV,
reset v = -60 mV, refractory 5 ms, 1 s at dt 0.1 ms. Differences from the example, so that neurode can compute
the same numbers: method 'euler' instead of 'exact' (forward Euler is one formula both can evaluate in the same
order; the example's 'exact' is an exponential propagator whose rounding neurode's solvers do not reproduce),
numpy target (no compiler), seed 1. The tests read the files written here and never need Brian2.

Run with Debian's python3-brian (Brian2 2.5.1):  /usr/bin/python3 make_cuba.py [rates]
Writes (little-endian NumPy .npy, read by org.neurode.core.io.ArrayFile):
  v0.npy        initial v of the 4000 neurons in mV (float64)
  e_start.npy   CSR row starts of the excitatory synapses, 3201 (int32); e_j.npy their targets (int16)
  i_start.npy   the same for the inhibitory synapses (source i - 3200), 801 (int32); i_j.npy (int16)
  spikes.npy    2 x S (int16): row 0 the neuron, row 1 the step (t / dt) of each spike, in Brian2's order
With the argument 'rates' it writes instead rates.csv: the spike count of the network with its own synapses and
initial values for the seeds 1 to 72 (one realisation differs from another by 4.6% in standard deviation, so the
mean rate is compared over many).
"""
import os
import sys
import time

import numpy as np
from brian2 import (Network, NeuronGroup, SpikeMonitor, Synapses, defaultclock, mV, ms, prefs, seed, second,
                    start_scope)
import brian2

prefs.codegen.target = 'numpy'


def network(s):
    """The network, seeded with s; returns it, its projections, its initial v in mV and its spike monitor."""
    start_scope()
    defaultclock.dt = 0.1 * ms
    seed(s)
    taum = 20 * ms
    taue = 5 * ms
    taui = 10 * ms
    Vt = -50 * mV
    Vr = -60 * mV
    El = -49 * mV
    eqs = '''
    dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    '''
    we = (60 * 0.27 / 10) * mV  # excitatory synaptic weight (voltage)
    wi = (-20 * 4.5 / 10) * mV  # inhibitory synaptic weight
    ns = dict(taum=taum, taue=taue, taui=taui, Vt=Vt, Vr=Vr, El=El, we=we, wi=wi)
    P = NeuronGroup(4000, eqs, threshold='v > Vt', reset='v = Vr', refractory=5 * ms, method='euler',
                    namespace=ns)
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV
    Ce = Synapses(P, P, on_pre='ge += we', namespace=ns)
    Ci = Synapses(P, P, on_pre='gi += wi', namespace=ns)
    Ce.connect('i < 3200', p=0.02)
    Ci.connect('i >= 3200', p=0.02)
    v0 = np.array(P.v[:] / mV, dtype=np.float64)
    s_mon = SpikeMonitor(P)
    net = Network(P, Ce, Ci, s_mon)
    return net, Ce, Ci, v0, s_mon


here = os.path.dirname(os.path.abspath(__file__))
if len(sys.argv) > 1 and sys.argv[1] == 'rates':
    with open(os.path.join(here, 'rates.csv'), 'w') as f:
        f.write('# CUBA, Brian2 %s numpy target, euler, dt 0.1 ms, 1 s: spikes per seed (make_cuba.py rates)\n'
                % brian2.__version__)
        f.write('seed,spikes\n')
        for s in range(1, 73):
            net, _, _, _, mon = network(s)
            net.run(1 * second)
            f.write('%d,%d\n' % (s, mon.num_spikes))
            f.flush()
    sys.exit(0)

net, Ce, Ci, v0, s_mon = network(1)
start = time.time()
net.run(1 * second)
wall = time.time() - start


def csr(i, j, n):
    order = np.lexsort((np.arange(len(i)), i))           # by source, keeping Brian2's order within a source
    start = np.zeros(n + 1, dtype=np.int32)
    np.add.at(start, i + 1, 1)
    return np.cumsum(start).astype(np.int32), j[order].astype(np.int16)


es, ej = csr(np.asarray(Ce.i[:]), np.asarray(Ce.j[:]), 3200)
is_, ij = csr(np.asarray(Ci.i[:]) - 3200, np.asarray(Ci.j[:]), 800)
np.save(os.path.join(here, 'v0.npy'), v0)
np.save(os.path.join(here, 'e_start.npy'), es)
np.save(os.path.join(here, 'e_j.npy'), ej)
np.save(os.path.join(here, 'i_start.npy'), is_)
np.save(os.path.join(here, 'i_j.npy'), ij)
steps = np.round(np.asarray(s_mon.t[:] / defaultclock.dt)).astype(np.int16)
np.save(os.path.join(here, 'spikes.npy'), np.vstack([np.asarray(s_mon.i[:]).astype(np.int16), steps]))
print('Brian2 %s numpy: %d synapses, %d spikes (%.2f Hz), run %.1f s'
      % (brian2.__version__, len(Ce) + len(Ci), s_mon.num_spikes, s_mon.num_spikes / 4000.0, wall))
