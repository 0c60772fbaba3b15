#!/usr/bin/python3
"""Burst-multiplexing circuit (Payeur et al. 2021, Nat. Neurosci., Fig. 3) in Brian2 C++ standalone, as a speed
reference for neurode (not used by the build or the tests).

Circuit: Pyr1 and Pyr2, 4000 two-compartment "Naud" neurons each (the equations of
tests/src/test/resources/golden/burst/make_burst.py, with synaptic and background conductances); PV and SOM,
1000 AdEx neurons each (with conductance synapses in units of their gL: gE*(EE - v)*gL + gI*(EI - v)*gL,
tauA = 5 ms, tauG = 10 ms). All connections random with p = 0.05 (autapses allowed), no delays:

    Pyr1->Pyr2 0.05 STD soma AMPA      Pyr1->PV   0.05 STD (gE)       PV->Pyr2  0.07 soma GABA
    Pyr2->Pyr1 0.37 STF dendrite AMPA  Pyr2->SOM  0.3  STF (gE)       SOM->Pyr1 0.035 dendrite GABA
    Pyr1->Pyr1, Pyr2->Pyr2 0.1 STF dendrite GABA

By default (--interneurons auryn --stp presynaptic) it is the circuit of neurode's MultiplexCircuit: interneurons as
the authors' simulator integrates them (reset to EL, adaptation off) and the STP state kept per presynaptic neuron,
as the authors' code keeps it; the alternatives below are the paper's table and per-synapse STP.
Short-term plasticity (Tsodyks-Markram with facilitation), with --stp synapse one x, u pair per synapse, event-driven (exact
relaxation between spikes), x = 1 and u = U at the start; on a presynaptic spike g_post += w*u*x, then
x -= u*x, then u += f*(1 - u). All synapses of one presynaptic neuron see the same spikes, so this equals the
per-presynaptic-neuron state of the original code. STD: U 0.9, tauD 20 ms, tauF 1 s, f 0.1;
STF: U 0.02, tauD 100 ms, tauF 100 ms, f 0.1.

Backgrounds: one PoissonInput per target variable and neuron (N = 1, 500 Hz): pyramidal soma exc 0.35 (gAS),
inh 0.35 (gGS), dendrite exc 0.05 (gAD), inh 0.05 (gGD); PV exc 0.75, inh 1.125; SOM exc 0.4, inh 0.5.
Constant currents: PV 205 pA, Pyr1 dendrite +50 pA, Pyr2 soma -100 pA, Pyr2 dendrite +100 pA.
Stimulation, switched on at the end of the burn-in (t0 = 1 s) as in the authors' sim_propagation.cpp, whose sine
injectors use the absolute simulation time and get their amplitude after the burn-in:
    Pyr1 soma      Is = 200 pA * sin(2 pi t / 500 ms)                    for t >= t0 (0 before)
    Pyr2 dendrite  Id = 100 pA + 100 pA * sin(2 pi t / (500 sqrt(5) ms)) for t >= t0 (100 pA before)
Initial state: vs ~ N(-70, 5) mV, vd = -70 mV, wd = 1e-4 mV, theta = ET, the rest 0; AdEx v = EL, w = 0.
dt = 0.1 ms, forward Euler. One Brian2 run of burn-in + stimulation (default 1 s + 3 s).

Events and bursts come from the 'event' and 'burst' custom events of the Naud neurons (same rule as the golden
files: trace xb with taub = 16 ms; event = spike with xb < 1/e; burst = the next close spike while in the
event state), tested after the resets of the same step.

Timing. The build is split into: code generation (Python), compilation ('make', from a clean build directory,
-j2), and running the binary. The binary's wall time (device.timers['run_binary']) includes the start-up:
allocating arrays, creating the ~4 million synapses, writing results. Brian2 also writes the time spent in the
network loop (the simulation proper) to results/last_run_info.txt, read back as device._last_run_time; with
OpenMP (used here for 1 and 2 threads) it is wall time measured with omp_get_wtime(). "sim_s" below is that
network-loop time; real-time factor = simulated seconds / sim_s.

Read-out (as in the paper's figure): 50-ms bins over the stimulation period; Pyr2 event rate (events per neuron
per second), Pyr1 and Pyr2 burst probability (bursts/events of the population in the bin), and Pearson
correlations with the drives evaluated at the bin centres (a bin average of a sine is the same sine scaled, so
it gives the same correlations). Also the best correlation over lags of 0-200 ms (response after the drive).

    /usr/bin/python3 examples/scripts/multiplex_brian2.py --threads 1 --seed 1 \
        --out examples/scripts/multiplex_brian2_results
Writes <out>/multiplex_seed<seed>_threads<threads>.json. The C++ project is built in --build-dir (default
/tmp/multiplex_brian2_build_t<threads>, outside the repository).
"""
import argparse
import json
import math
import os
import platform
import time

import numpy as np


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--threads', type=int, default=1, choices=[1, 2], help='OpenMP threads of the C++ binary')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--out', default='multiplex_brian2_results', help='folder for the JSON summary')
    p.add_argument('--duration', type=float, default=3.0, help='stimulation time after the burn-in (s)')
    p.add_argument('--burn-in', type=float, default=1.0, help='burn-in time (s)')
    p.add_argument('--build-dir', default=None)
    p.add_argument('--n-pyr', type=int, default=4000)
    p.add_argument('--n-int', type=int, default=1000)
    p.add_argument('--interneurons', choices=['auryn', 'table'], default='auryn',
                   help="'auryn' (default, as neurode's MultiplexCircuit and the authors' simulator integrate them: "
                        "reset to EL, adaptation off) or 'table' (the paper's table: reset Vreset, a and b on)")
    p.add_argument('--stp', choices=['presynaptic', 'synapse'], default='presynaptic',
                   help="'presynaptic' (default, as neurode's MultiplexCircuit and the authors' code: x, u per "
                        "presynaptic neuron, updated in its reset) or 'synapse' (event-driven x, u per synapse)")
    return p.parse_args()


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
STP_VARS
Is = Is0 + int(t_in_timesteps >= k_stim)*(Is_amp*sin(2*pi*t/Ps)) : amp
Id = Id0 + int(t_in_timesteps >= k_stim)*(Id_amp*sin(2*pi*t/Pd)) : amp
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
ADEX_EQS = """
dv/dt = (-gL*(v - EL) + gL*DeltaT*exp((v - VT)/DeltaT) - w + I0 + gE*(EE - v)*gL + gI*(EI - v)*gL)/C : volt (unless refractory)
dw/dt = (a*(v - EL) - w)/tauw : amp
dgE/dt = -gE/tauA : 1
dgI/dt = -gI/tauG : 1
"""
STP = {'STD': dict(U=0.9, tauD=20.0, tauF=1000.0, f=0.1), 'STF': dict(U=0.02, tauD=100.0, tauF=100.0, f=0.1)}
STP_MODEL = """
dx/dt = (1 - x)/tauD : 1 (event-driven)
du/dt = (U - u)/tauF : 1 (event-driven)
"""


def main():
    args = parse_args()
    from brian2 import (EventMonitor, Network, NeuronGroup, PoissonInput, SpikeMonitor, Synapses, defaultclock,
                        device, ms, mV, nS, pA, pF, Hz, second, prefs, seed, set_device)
    import brian2

    build_dir = args.build_dir or '/tmp/multiplex_brian2_build_t%d' % args.threads
    set_device('cpp_standalone', directory=build_dir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = args.threads
    prefs.devices.cpp_standalone.extra_make_args_unix = ['-j2']
    defaultclock.dt = 0.1 * ms
    seed(args.seed)

    t_gen0 = time.time()
    burn = args.burn_in * second
    total = (args.burn_in + args.duration) * second
    k_stim = int(round(args.burn_in / 1e-4))
    naud_common = dict(EL=-70 * mV, EE=0 * mV, EI=-80 * mV, ET=-50 * mV, tautheta=27 * ms, dtheta=2 * mV,
                       taus=16 * ms, Cs=370 * pF, cs=1300 * pA, tauws=100 * ms, bw=-200 * pA, taud=7 * ms,
                       Cd=170 * pF, cd=1200 * pA, tauwd=30 * ms, aw=-13 * nS, zeta=2600 * pA, ED=-38 * mV,
                       D=6 * mV, taub=16 * ms, tauA=5 * ms, tauG=10 * ms, k_stim=k_stim,
                       Ps=500 * ms, Pd=500 * math.sqrt(5) * ms)
    drives = {'pyr1': dict(Is0=0 * pA, Is_amp=200 * pA, Id0=50 * pA, Id_amp=0 * pA),
              'pyr2': dict(Is0=-100 * pA, Is_amp=0 * pA, Id0=100 * pA, Id_amp=100 * pA)}
    objects = []  # everything goes into one explicit Network
    pyr = {}
    # per presynaptic neuron STP (--stp presynaptic): Pyr1 sends depressing and facilitating synapses, Pyr2
    # facilitating ones
    sends = {'pyr1': ('STD', 'STF'), 'pyr2': ('STF',)}
    for name in ('pyr1', 'pyr2'):
        ns = dict(naud_common, **drives[name])
        stp_vars, stp_reset = '', ''
        if args.stp == 'presynaptic':
            for tag in sends[name]:
                c = STP[tag]
                stp_vars += ('dx%s/dt = (1 - x%s)/(%g*ms) : 1\ndu%s/dt = (%g - u%s)/(%g*ms) : 1\n'
                             % (tag, tag, c['tauD'], tag, c['U'], tag, c['tauF']))
                stp_reset += 'x%s -= u%s*x%s\nu%s += %g*(1 - u%s)\n' % (tag, tag, tag, tag, c['f'], tag)
        g = NeuronGroup(args.n_pyr, NAUD_EQS.replace('STP_VARS', stp_vars), threshold='vs > theta',
                        reset=NAUD_RESET + stp_reset, method='euler',
                        events={'event': 'flagE > 0.5', 'burst': 'flagB > 0.5'}, namespace=ns, name=name)
        for ev, var in (('event', 'flagE'), ('burst', 'flagB')):
            g.run_on_event(ev, '%s = 0' % var)
            g.thresholder[ev].when = 'after_resets'
            g.thresholder[ev].order = 0
            g.resetter[ev].when = 'after_resets'
            g.resetter[ev].order = 1
        g.vs = '-70*mV + 5*mV*randn()'
        g.vd = -70 * mV
        g.wd = 1e-4 * mV
        g.theta = -50 * mV
        if args.stp == 'presynaptic':
            for tag in sends[name]:
                setattr(g, 'x' + tag, 1)
                setattr(g, 'u' + tag, STP[tag]['U'])
        pyr[name] = g
        for var, wgt in (('gAS', 0.35), ('gGS', 0.35), ('gAD', 0.05), ('gGD', 0.05)):
            objects.append(PoissonInput(g, var, 1, 500 * Hz, weight=wgt))

    adex_common = dict(EL=-70 * mV, EE=0 * mV, EI=-80 * mV, C=100 * pF, tauA=5 * ms, tauG=10 * ms)
    adex = {'pv': dict(gL=10 * nS, DeltaT=2 * mV, a=0 * nS, b=0 * pA, tauw=5 * ms, Vreset=-55 * mV, tref=1 * ms,
                       VT=-48 * mV, I0=205 * pA, bg=(0.75, 1.125)),
            'som': dict(gL=5 * nS, DeltaT=4 * mV, a=0.5 * nS, b=10 * pA, tauw=500 * ms, Vreset=-65 * mV,
                        tref=2 * ms, VT=(25 / 5.5 - 70 + 4 - 4 * math.log(1.1)) * mV, I0=0 * pA, bg=(0.4, 0.5))}
    inter = {}
    if args.interneurons == 'auryn':
        # as the authors' simulator integrates them: the potential is set to EL during the refractory period (so
        # the reset is effectively EL), and the adaptation is added in volts, which makes it negligible
        for par in adex.values():
            par.update(Vreset=-70 * mV, a=0 * nS, b=0 * pA)
    for name, par in adex.items():
        ns = dict(adex_common, **{k: v for k, v in par.items() if k != 'bg'})
        g = NeuronGroup(args.n_int, ADEX_EQS, threshold='v > 0*mV', reset='v = Vreset; w += b',
                        refractory=par['tref'], method='euler', namespace=ns, name=name)
        g.v = '-70*mV + 5*mV*randn()'
        inter[name] = g
        objects.append(PoissonInput(g, 'gE', 1, 500 * Hz, weight=par['bg'][0]))
        objects.append(PoissonInput(g, 'gI', 1, 500 * Hz, weight=par['bg'][1]))

    conns = [('pyr1', 'pyr2', 0.05, 'STD', 'gAS'), ('pyr1', 'pv', 0.05, 'STD', 'gE'),
             ('pv', 'pyr2', 0.07, None, 'gGS'), ('pyr2', 'pyr1', 0.37, 'STF', 'gAD'),
             ('pyr2', 'som', 0.3, 'STF', 'gE'), ('som', 'pyr1', 0.035, None, 'gGD'),
             ('pyr1', 'pyr1', 0.1, 'STF', 'gGD'), ('pyr2', 'pyr2', 0.1, 'STF', 'gGD')]
    groups = dict(pyr, **inter)
    syns = []
    for pre, post, wgt, stp, target in conns:
        name = '%s_to_%s' % (pre, post)
        if stp and args.stp == 'presynaptic':
            s = Synapses(groups[pre], groups[post], on_pre='%s_post += wsyn*u%s_pre*x%s_pre' % (target, stp, stp),
                         namespace=dict(wsyn=wgt), name=name)
            s.connect(p=0.05)
        elif stp:
            c = STP[stp]
            ns = dict(wsyn=wgt, U=c['U'], f=c['f'], tauD=c['tauD'] * ms, tauF=c['tauF'] * ms)
            s = Synapses(groups[pre], groups[post], model=STP_MODEL,
                         on_pre='%s_post += wsyn*u*x\nx -= u*x\nu += f*(1 - u)' % target,
                         method='exact', namespace=ns, name=name)
            s.connect(p=0.05)
            s.x = 1
            s.u = c['U']
        else:
            s = Synapses(groups[pre], groups[post], on_pre='%s_post += wsyn' % target, namespace=dict(wsyn=wgt),
                         name=name)
            s.connect(p=0.05)
        syns.append(s)

    spk = {n: SpikeMonitor(g, name='spikes_' + n) for n, g in groups.items()}
    evm = {n: EventMonitor(pyr[n], 'event', name='events_' + n) for n in pyr}
    bum = {n: EventMonitor(pyr[n], 'burst', name='bursts_' + n) for n in pyr}
    objects += list(groups.values()) + syns + list(spk.values()) + list(evm.values()) + list(bum.values())
    net = Network(*objects)
    net.run(total)
    load_before = os.getloadavg()
    t_build0 = time.time()
    device.build(directory=build_dir, compile=True, run=True, clean=True, with_output=False)
    t_build1 = time.time()
    load_after = os.getloadavg()
    timers = device.timers
    make_s = timers['compile']['make'] or 0.0
    clean_s = timers['compile']['clean'] or 0.0
    binary_s = timers['run_binary']
    loop_s = float(device._last_run_time)
    codegen_s = (t_build1 - t_gen0) - make_s - clean_s - binary_s

    # Read-out
    n_syn = {s.name: int(len(s)) for s in syns}
    t0, t1 = float(burn), float(total)
    rates = {}
    for n, m in spk.items():
        tt = np.asarray(m.t[:])
        N = len(groups[n])
        rates[n] = dict(burn_in_hz=float((tt < t0).sum() / N / t0), stim_hz=float((tt >= t0).sum() / N / (t1 - t0)))
    for n in pyr:
        te, tb = np.asarray(evm[n].t[:]), np.asarray(bum[n].t[:])
        N = len(groups[n])
        rates[n].update(events_stim_hz=float((te >= t0).sum() / N / (t1 - t0)),
                        bursts_stim_hz=float((tb >= t0).sum() / N / (t1 - t0)),
                        burst_prob_stim=float((tb >= t0).sum() / max(1, (te >= t0).sum())))
    binw = 0.05
    edges = t0 + binw * np.arange(int(round((t1 - t0) / binw)) + 1)
    centres = 0.5 * (edges[1:] + edges[:-1])
    ev = {n: np.histogram(np.asarray(evm[n].t[:]), edges)[0] for n in pyr}
    bu = {n: np.histogram(np.asarray(bum[n].t[:]), edges)[0] for n in pyr}
    er2 = ev['pyr2'] / (len(pyr['pyr2']) * binw)
    with np.errstate(invalid='ignore', divide='ignore'):
        bp = {n: np.where(ev[n] > 0, bu[n] / np.maximum(ev[n], 1), np.nan) for n in pyr}
    drive_s1 = 200 * np.sin(2 * np.pi * centres / 0.5)
    drive_d2 = 100 + 100 * np.sin(2 * np.pi * centres / (0.5 * math.sqrt(5)))

    def corr(a, b, lag=0):
        if lag:
            a, b = a[lag:], b[:-lag]
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() < 3 or np.std(a[ok]) == 0:
            return float('nan')
        return float(np.corrcoef(a[ok], b[ok])[0, 1])

    def best_lag(a, b):
        vals = [(corr(a, b, L), L) for L in range(0, 5)]
        c, L = max(vals, key=lambda p: (-1 if math.isnan(p[0]) else p[0]))
        return dict(r=c, lag_ms=L * binw * 1000)

    correlations = {
        'ER2_vs_Pyr1_soma_drive': corr(er2, drive_s1),
        'BP1_vs_Pyr2_dend_drive': corr(bp['pyr1'], drive_d2),
        'ER2_vs_Pyr2_dend_drive': corr(er2, drive_d2),
        'BP1_vs_Pyr1_soma_drive': corr(bp['pyr1'], drive_s1),
        'BP2_vs_Pyr2_dend_drive': corr(bp['pyr2'], drive_d2),
        'best_lag_ER2_vs_Pyr1_soma_drive': best_lag(er2, drive_s1),
        'best_lag_BP1_vs_Pyr2_dend_drive': best_lag(bp['pyr1'], drive_d2),
    }
    sim_seconds = float(total)
    result = dict(
        script='multiplex_brian2.py', brian2=brian2.__version__, device='cpp_standalone', threads=args.threads,
        seed=args.seed, interneurons=args.interneurons, stp=args.stp, machine=dict(cpus=os.cpu_count(), processor=platform.processor(), note='2 cores shared with other jobs',
                     loadavg_before_build=[round(x, 2) for x in load_before],
                     loadavg_after_run=[round(x, 2) for x in load_after]),
        n=dict(pyr=args.n_pyr, interneurons=args.n_int), burn_in_s=args.burn_in, stim_s=args.duration,
        dt_ms=0.1, synapses=dict(total=int(sum(n_syn.values())), **n_syn),
        timing_s=dict(codegen=codegen_s, make_clean=clean_s, compile=make_s, binary_wall=binary_s,
                      network_loop=loop_s, total_with_compile=t_build1 - t_gen0),
        realtime_factor=dict(network_loop=sim_seconds / loop_s, binary_wall=sim_seconds / binary_s),
        rates=rates, correlations=correlations,
        bins=dict(width_ms=50, t_centre_s=[round(float(c), 4) for c in centres],
                  pyr2_event_rate_hz=[round(float(x), 4) for x in er2],
                  pyr1_burst_prob=[None if not np.isfinite(x) else round(float(x), 4) for x in bp['pyr1']],
                  pyr2_burst_prob=[None if not np.isfinite(x) else round(float(x), 4) for x in bp['pyr2']]))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, 'multiplex_seed%d_threads%d%s.json' % (
        args.seed, args.threads, '' if (args.interneurons, args.stp) == ('auryn', 'presynaptic')
        else '_%s_%s' % (args.interneurons, args.stp)))
    with open(path, 'w') as f:
        json.dump(result, f, indent=1)
    print('synapses: %d (%s)' % (result['synapses']['total'], ', '.join('%s %d' % kv for kv in n_syn.items())))
    print('timing (s): codegen %.1f, compile %.1f, binary %.1f, of which network loop %.1f; total %.1f'
          % (codegen_s, make_s, binary_s, loop_s, t_build1 - t_gen0))
    print('simulated %.1f s: %.3f simulated s per wall s (network loop)' % (sim_seconds, sim_seconds / loop_s))
    for n, r in rates.items():
        print('%-5s ' % n + ', '.join('%s %.3f' % kv for kv in r.items()))
    for k, v in correlations.items():
        print('%-34s %s' % (k, v))
    print('wrote', path)


if __name__ == '__main__':
    main()
