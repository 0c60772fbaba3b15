#!/usr/bin/python3
"""Golden spikes and traces of the burst-multiplexing neurons, from Brian2, for the Java burst-model tests.

What it simulates (Brian2 numpy target, method='euler', dt = 0.1 ms, so forward Euler; per step Brian2 does the
state update, then the threshold tests, then the resets, and everything computed in a step sees t = the step's
start, t = step * dt):

1. Two-compartment "Naud" pyramidal neurons (burst.md section 1.2), two neurons, 1000 ms.
   Units: ms, mV, pA, pF; conductances are dimensionless (relative to the leak).

     dvs/dt = ((EL - vs) + gAS*(EE - vs) + gGS*(EI - vs))/taus + (bw*ws + cs*sig + Is)/Cs
     dvd/dt = ((EL - vd) + gAD*(EE - vs) + gGD*(EI - vs))/taud
              + (aw*wd + cd*sig + zeta*[tbap > 0.05 ms] + Id)/Cd   (dendritic driving force uses vs, as in the code)
     sig    = 1/(1 + exp(-(vd - ED)/D))
     dws/dt = -ws/tauws ;  dwd/dt = ((vd - EL) - wd)/tauwd ;  dtheta/dt = (ET - theta)/tautheta
     dtbap/dt = -1 (BAP clock: the BAP current is on while tbap > 0.05 ms, i.e. during the 20 steps after a spike)
     dxb/dt = -xb/taub (burst-detection trace, taub = 16 ms)
     dgAS/dt = -gAS/tauA, dgAD/dt = -gAD/tauA, dgGS/dt = -gGS/tauG, dgGD/dt = -gGD/tauG
     flagE, flagB, bst: constant between resets
   threshold vs > theta; reset, in this order:
     vs = EL; theta += dtheta; ws += 1; tbap = 2 ms;
     flagE = [xb < exp(-1)]; flagB = [xb >= exp(-1)] * [bst == 1];
     bst = flagE + 2*flagB + bst*(1 - flagE)*(1 - flagB); xb += 1
   (bst: 0 = no spike yet, 1 = event state, 2 = burst state. An "event" is a spike with xb < 1/e before the
   increment; a "burst" is the second spike of a burst, xb >= 1/e while in the event state; further close
   spikes are neither.)
   Custom events 'event' (flagE > 0.5, reset flagE = 0) and 'burst' (flagB > 0.5, reset flagB = 0). Their
   threshold tests and resets are scheduled in the 'after_resets' slot, so an event or burst is recorded at
   the SAME step as the spike that caused it (with Brian2's default schedule it would come one step later).

   Parameters: EL = -70 mV, EE = 0 mV, EI = -80 mV, ET = -50 mV, tautheta = 27 ms, dtheta = 2 mV, taus = 16 ms,
   Cs = 370 pF, cs = 1300 pA, tauws = 100 ms, bw = -200 pA, taud = 7 ms, Cd = 170 pF, cd = 1200 pA,
   tauwd = 30 ms, aw = -13 nS (pA/mV, wd is in mV), zeta = 2600 pA, ED = -38 mV, D = 6 mV, taub = 16 ms,
   tauA = 5 ms, tauG = 10 ms.
   Initial state: vs = vd = -70 mV, wd = 1e-4 mV, theta = ET, ws = tbap = xb = flagE = flagB = bst = 0, all
   conductances 0.

   Drive (the same for both neurons; step k covers [k*dt, (k+1)*dt) and uses the drive of step k; in Brian2 it
   is written with t_in_timesteps so there is no rounding question at the switching times):
     Is = IS1 for 1000 <= k < 4000 (100 <= t < 400 ms), IS2 for 6000 <= k < 9000 (600 <= t < 900 ms), else 0
     Id = ID1 for 2500 <= k < 4000 and (k - 2500) % 1000 < 100, i.e. 10-ms pulses at 250 and 350 ms;
          ID2 for 6500 <= k < 9000 and (k - 6500) % 1000 < 200, i.e. 20-ms pulses at 650, 750 and 850 ms;
          else 0
   with IS1 = 700 pA, IS2 = 300 pA, ID1 = 1000 pA, ID2 = 800 pA (the constants below). 700 pA alone gives
   isolated, adapting spikes (events); 300 pA alone is below threshold; each dendritic pulse gives a burst
   (an event, then the burst spike, then one or more spikes that are neither).
   Neuron 0 has no synaptic input. Neuron 1 also receives spikes from a SpikeGeneratorGroup (no delay):
   sources 0 and 1 add 0.5 to gAS and 0.3 to gAD of neuron 1 (on_pre), source 2 adds 0.5 to gGS and 0.3 to
   gGD; the input spike times are SYN_TIMES below (ms; each is a whole number of steps). A spike at step k is
   added after the state update of step k (Brian2's 'synapses' slot comes after the thresholds), so the
   conductance first acts in the update of step k + 1.

2. AdEx interneurons (burst.md section 1.5), one PV (neuron 0) and one SST/SOM (neuron 1), 500 ms:
     C dv/dt = -gL*(v - EL) + gL*DeltaT*exp((v - VT)/DeltaT) - w + I   (unless refractory: v is held)
     tauw dw/dt = a*(v - EL) - w                                      (w keeps evolving while refractory)
   threshold v > 0 mV, reset v = Vreset; w += b, refractory period tref. Brian2's rule: with s the step of the
   last spike, step k is refractory while k - s < tref/dt (10 steps for PV, 20 for SST); in a refractory step v is
   not updated and the threshold is not tested. So v stays at Vreset through steps s+1 ... s+tref/dt-1 and moves
   again in step s+tref/dt.
   PV:  gL 10 nS, C 100 pF, EL -70 mV, DeltaT 2 mV, a 0, b 0, tauw 5 ms, Vreset -55 mV, tref 1 ms,
        VT = 200 pA/gL + EL + DeltaT = -48 mV;  I = 205 pA, plus 100 pA for 2000 <= k < 4000 (200 <= t < 400 ms).
   SST: gL 5 nS, C 100 pF, EL -70 mV, DeltaT 4 mV, a 0.5 nS, b 10 pA, tauw 500 ms, Vreset -65 mV, tref 2 ms,
        VT = 25 pA/(gL + a) + EL + DeltaT - DeltaT*ln(1 + a/gL) = -61.835786173762756 mV (VT_SST below);
        I = 40 pA for 0 <= k < 5000 (the whole run).
   Initial state v = EL, w = 0. Result: PV fires at 10 Hz, 90 Hz during the step; SST fires 3 spikes in the
   first 300 ms, then its adaptation current keeps 40 pA below the rheobase.

Run with Debian's python3-brian (Brian2 2.5.1):  /usr/bin/python3 make_burst.py
Writes, next to this script:
  naud_trace.csv   t_ms, neuron, vs_mV, vd_mV, ws, wd_mV, theta_mV, gAS, gAD, gGS, gGD: every 1 ms for both
                   neurons, as the StateMonitor records them at the start of each step (after the previous
                   step's resets)
  naud_spikes.csv  kind (spike, event or burst), neuron, step, t_ms
  adex_pv_sst_trace.csv   t_ms, neuron, v_mV, w_pA every 1 ms
  adex_pv_sst_spikes.csv  neuron, step, t_ms
The Java tests read the CSV files and never need Brian2.
"""
import math
import os

from brian2 import (EventMonitor, NeuronGroup, SpikeGeneratorGroup, SpikeMonitor, StateMonitor, Synapses, Network,
                    defaultclock, ms, mV, nS, pA, pF, prefs, start_scope)
import brian2

prefs.codegen.target = 'numpy'

# Drive of the Naud neurons (pA) and the input spikes of neuron 1 (ms)
IS1, IS2 = 700.0, 300.0
ID1, ID2 = 1000.0, 800.0
K_PULSE, K_PULSE2, K_PERIOD = 100, 200, 1000  # steps (10 ms and 20 ms pulses every 100 ms)
SYN_TIMES = {0: [150.0, 470.0, 480.0, 650.0], 1: [150.0, 300.0, 660.0, 820.0], 2: [200.0, 320.0, 700.0, 850.0]}

# SST threshold from the rheobase formula of burst.md section 1.5
VT_SST = 25e-12 / (5e-9 + 0.5e-9) * 1e3 - 70.0 + 4.0 - 4.0 * math.log(1.0 + 0.5 / 5.0)  # mV
VT_PV = 200e-12 / 10e-9 * 1e3 - 70.0 + 2.0  # mV

HERE = os.path.dirname(os.path.abspath(__file__))
DT_MS = 0.1

NAUD_EQS = """
dvs/dt = ((EL - vs) + gAS*(EE - vs) + gGS*(EI - vs))/taus + (bw*ws + cs*sig + Is)/Cs : volt
dvd/dt = ((EL - vd) + gAD*(EE - vs) + gGD*(EI - vs))/taud + (aw*wd + cd*sig + zeta*int(tbap > 0.05*ms) + Id)/Cd : volt
sig = 1/(1 + exp(-(vd - ED)/D)) : 1
dws/dt = -ws/tauws : 1
dwd/dt = ((vd - EL) - wd)/tauwd : volt
dtheta/dt = (ET - theta)/tautheta : volt
dtbap/dt = -1 : second
dxb/dt = -xb/taub : 1
dgAS/dt = -gAS/tauA : 1
dgAD/dt = -gAD/tauA : 1
dgGS/dt = -gGS/tauG : 1
dgGD/dt = -gGD/tauG : 1
dflagE/dt = 0/ms : 1
dflagB/dt = 0/ms : 1
dbst/dt = 0/ms : 1
Is = IS1*pA*int(t_in_timesteps >= 1000)*int(t_in_timesteps < 4000) + IS2*pA*int(t_in_timesteps >= 6000)*int(t_in_timesteps < 9000) : amp
Id = ID1*pA*int(t_in_timesteps >= 2500)*int(t_in_timesteps < 4000)*int((t_in_timesteps - 2500) % K_PERIOD < K_PULSE) + ID2*pA*int(t_in_timesteps >= 6500)*int(t_in_timesteps < 9000)*int((t_in_timesteps - 6500) % K_PERIOD < K_PULSE2) : amp
"""
NAUD_RESET = """
vs = EL
theta += dtheta
ws += 1
tbap = 2*ms
flagE = int(xb < exp(-1))
flagB = int(xb >= exp(-1)) * int(bst == 1)
bst = flagE + 2*flagB + bst*(1 - flagE)*(1 - flagB)
xb += 1
"""
NAUD_PARAMS = dict(EL=-70 * mV, EE=0 * mV, EI=-80 * mV, ET=-50 * mV, tautheta=27 * ms, dtheta=2 * mV,
                   taus=16 * ms, Cs=370 * pF, cs=1300 * pA, tauws=100 * ms, bw=-200 * pA, taud=7 * ms,
                   Cd=170 * pF, cd=1200 * pA, tauwd=30 * ms, aw=-13 * nS, zeta=2600 * pA, ED=-38 * mV, D=6 * mV,
                   taub=16 * ms, tauA=5 * ms, tauG=10 * ms, IS1=IS1, IS2=IS2, ID1=ID1, ID2=ID2, K_PULSE=K_PULSE, K_PULSE2=K_PULSE2, K_PERIOD=K_PERIOD)


def run_naud():
    start_scope()
    defaultclock.dt = DT_MS * ms
    g = NeuronGroup(2, NAUD_EQS, threshold='vs > theta', reset=NAUD_RESET, method='euler',
                    events={'event': 'flagE > 0.5', 'burst': 'flagB > 0.5'}, namespace=NAUD_PARAMS)
    for name, var in (('event', 'flagE'), ('burst', 'flagB')):
        g.run_on_event(name, '%s = 0' % var)
        g.thresholder[name].when = 'after_resets'
        g.thresholder[name].order = 0
        g.resetter[name].when = 'after_resets'
        g.resetter[name].order = 1
    g.vs = -70 * mV
    g.vd = -70 * mV
    g.wd = 1e-4 * mV
    g.theta = -50 * mV
    idx, times = [], []
    for src, ts in SYN_TIMES.items():
        idx += [src] * len(ts)
        times += ts
    gen = SpikeGeneratorGroup(3, idx, times * ms)
    exc = Synapses(gen, g, on_pre='gAS_post += 0.5\ngAD_post += 0.3')
    exc.connect(i=[0, 1], j=1)
    inh = Synapses(gen, g, on_pre='gGS_post += 0.5\ngGD_post += 0.3')
    inh.connect(i=2, j=1)
    spk = SpikeMonitor(g)
    evm = EventMonitor(g, 'event')
    bum = EventMonitor(g, 'burst')
    trace = StateMonitor(g, ['vs', 'vd', 'ws', 'wd', 'theta', 'gAS', 'gAD', 'gGS', 'gGD'], record=True, dt=1 * ms)
    net = Network(g, gen, exc, inh, spk, evm, bum, trace)
    net.run(1000 * ms)

    with open(os.path.join(HERE, 'naud_trace.csv'), 'w') as f:
        f.write('# Naud two-compartment neurons, Brian2 %s numpy target, euler, dt 0.1 ms, every 1 ms (make_burst.py)\n'
                % brian2.__version__)
        f.write('t_ms,neuron,vs_mV,vd_mV,ws,wd_mV,theta_mV,gAS,gAD,gGS,gGD\n')
        for k, t in enumerate(trace.t[:]):
            for n in range(2):
                f.write('%r,%d,%r,%r,%r,%r,%r,%r,%r,%r,%r\n' % (
                    float(t / ms), n, float(trace.vs[n][k] / mV), float(trace.vd[n][k] / mV), float(trace.ws[n][k]),
                    float(trace.wd[n][k] / mV), float(trace.theta[n][k] / mV), float(trace.gAS[n][k]),
                    float(trace.gAD[n][k]), float(trace.gGS[n][k]), float(trace.gGD[n][k])))
    rows = []
    for kind, mon in (('spike', spk), ('event', evm), ('burst', bum)):
        for i, t in zip(mon.i[:], mon.t[:]):
            tm = float(t / ms)
            rows.append((int(round(tm / DT_MS)), {'spike': 0, 'event': 1, 'burst': 2}[kind], kind, int(i), tm))
    rows.sort()
    with open(os.path.join(HERE, 'naud_spikes.csv'), 'w') as f:
        f.write('# Naud two-compartment neurons, Brian2 %s numpy target, euler, dt 0.1 ms, 1000 ms; IS1=%r IS2=%r '
                'ID1=%r ID2=%r pA, pulses and input spikes as in the docstring (make_burst.py)\n' % (brian2.__version__, IS1, IS2, ID1, ID2))
        f.write('kind,neuron,step,t_ms\n')
        for step, _, kind, i, tm in rows:
            f.write('%s,%d,%d,%r\n' % (kind, i, step, tm))
    return spk, evm, bum


def run_adex():
    start_scope()
    defaultclock.dt = DT_MS * ms
    eqs = """
    dv/dt = (-gL*(v - EL) + gL*DeltaT*exp((v - VT)/DeltaT) - w + I)/C : volt (unless refractory)
    dw/dt = (a*(v - EL) - w)/tauw : amp
    I = I0 + Istep*int(t_in_timesteps >= k_on)*int(t_in_timesteps < k_off) : amp
    gL : siemens (constant)
    C : farad (constant)
    EL : volt (constant)
    DeltaT : volt (constant)
    VT : volt (constant)
    a : siemens (constant)
    b : amp (constant)
    tauw : second (constant)
    Vreset : volt (constant)
    tref : second (constant)
    I0 : amp (constant)
    Istep : amp (constant)
    k_on : integer (constant)
    k_off : integer (constant)
    """
    g = NeuronGroup(2, eqs, threshold='v > 0*mV', reset='v = Vreset; w += b', refractory='tref',
                    method='euler')
    g.gL = [10, 5] * nS
    g.C = [100, 100] * pF
    g.EL = [-70, -70] * mV
    g.DeltaT = [2, 4] * mV
    g.VT = [VT_PV, VT_SST] * mV
    g.a = [0, 0.5] * nS
    g.b = [0, 10] * pA
    g.tauw = [5, 500] * ms
    g.Vreset = [-55, -65] * mV
    g.tref = [1, 2] * ms
    g.I0 = [205, 40] * pA
    g.Istep = [100, 0] * pA
    g.k_on = [2000, 0]
    g.k_off = [4000, 0]
    g.v = -70 * mV
    g.w = 0 * pA
    spk = SpikeMonitor(g)
    trace = StateMonitor(g, ['v', 'w'], record=True, dt=1 * ms)
    net = Network(g, spk, trace)
    net.run(500 * ms)
    with open(os.path.join(HERE, 'adex_pv_sst_spikes.csv'), 'w') as f:
        f.write('# AdEx PV (neuron 0, VT %r mV) and SST (neuron 1, VT %r mV), Brian2 %s numpy target, euler, '
                'dt 0.1 ms, 500 ms (make_burst.py)\n' % (VT_PV, VT_SST, brian2.__version__))
        f.write('neuron,step,t_ms\n')
        for i, t in sorted(zip(spk.i[:], spk.t[:]), key=lambda p: (float(p[1]), int(p[0]))):
            tm = float(t / ms)
            f.write('%d,%d,%r\n' % (i, int(round(tm / DT_MS)), tm))
    with open(os.path.join(HERE, 'adex_pv_sst_trace.csv'), 'w') as f:
        f.write('# AdEx PV (neuron 0) and SST (neuron 1), Brian2 %s numpy target, euler, dt 0.1 ms: v and w '
                'every 1 ms (make_burst.py)\n' % brian2.__version__)
        f.write('t_ms,neuron,v_mV,w_pA\n')
        for k, t in enumerate(trace.t[:]):
            for n in range(2):
                f.write('%r,%d,%r,%r\n' % (float(t / ms), n, float(trace.v[n][k] / mV), float(trace.w[n][k] / pA)))
    return spk


def main():
    spk, evm, bum = run_naud()
    for n in range(2):
        print('Naud neuron %d: %d spikes, %d events, %d bursts' % (
            n, int((spk.i[:] == n).sum()), int((evm.i[:] == n).sum()), int((bum.i[:] == n).sum())))
        for lo, hi in ((0, 250), (100, 250), (250, 400), (400, 600), (600, 750), (750, 900), (900, 1000)):
            tt = spk.t[spk.i[:] == n] / ms
            te = evm.t[evm.i[:] == n] / ms
            tb = bum.t[bum.i[:] == n] / ms
            sel = lambda x: int(((x >= lo) & (x < hi)).sum())
            print('   %4d-%4d ms: %3d spikes %3d events %3d bursts' % (lo, hi, sel(tt), sel(te), sel(tb)))
        print('   spikes at', ' '.join('%.1f' % x for x in spk.t[spk.i[:] == n] / ms))
        print('   events at', ' '.join('%.1f' % x for x in evm.t[evm.i[:] == n] / ms))
        print('   bursts at', ' '.join('%.1f' % x for x in bum.t[bum.i[:] == n] / ms))
    print('VT PV = %r mV, VT SST = %r mV' % (VT_PV, VT_SST))
    aspk = run_adex()
    for n, name in ((0, 'PV'), (1, 'SST')):
        tt = aspk.t[aspk.i[:] == n] / ms
        print('%s: %d spikes; ' % (name, len(tt)) + ', '.join(
            '%d-%d ms: %.0f Hz' % (lo, hi, ((tt >= lo) & (tt < hi)).sum() * 1000.0 / (hi - lo))
            for lo, hi in ((0, 200), (200, 400), (400, 500))))


if __name__ == '__main__':
    main()
