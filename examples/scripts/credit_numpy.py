#!/usr/bin/env python3
"""NumPy baseline for `neurode bench credit` (not used by the build or the tests).

The same two learners as neurode's org.neurode.models.credit, on Fashion-MNIST 784-500-10, online (one pattern at a
time), float64, written the way one writes them in NumPy (BLAS matrix-vector products, np.outer for the rank-one
updates):

  backprop             LayeredNetwork with Feedback.BACKPROP on ImageTask.fashionMnist: logistic hidden layer,
                       softmax output with the cross-entropy, biases, eta = 0.02 per layer, weights
                       U(-1, 1) / sqrt(fan-in), biases 0.
  microcircuit-steady  MicrocircuitLearner, Form.STEADY_STATE (the two-pass steady state of Sacramento et al.
                       2018): conductances gL 0.1, gB 1, gA 0.8, gD 1, gSom 0.8; the same initial forward weights
                       divided by the attenuation aB_k; top-down B_k U(-0.05, 0.05), Q_k = -B_k, P_k in the
                       self-predicting state; logistic output nudged towards logit(0.1 + 0.7 target); learning rates
                       from backprop's as MicrocircuitLearner.forTask derives them; W_k, c_k and P_k learn, Q_k not.

The Java learners also compute, per pattern, the angle of the hidden update to backprop's (a diagnostic of the
comparison, about 1% of the arithmetic); this script does not.

It reads the IDX files (.gz or not) of --data and trains on the first 55,000 training images (the last 5,000 are
neurode's validation set), in a new random order every epoch. Like `neurode bench credit`, each rule has its own
learner; after --warmup untimed patterns each (default one round, as neurode's warm-up round), the rules take turns
for --rounds timed rounds of --patterns patterns (default 5 x 11,000: one epoch timed), each continuing its
learner's training. It prints JSON: per rule the median
patterns/s of its rounds (best and worst beside it) and the test error on the 10,000 test images afterwards.

Single thread: the script sets OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS and friends to 1 before
importing NumPy (unless they are set already), so NumPy's BLAS uses one core, like `neurode bench credit`.

    python3 examples/scripts/credit_numpy.py                     # 1.2 epochs of each rule, one timed (about a minute)
    python3 examples/scripts/credit_numpy.py --patterns 3000 --rules backprop --no-test
"""
import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
              "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
VALIDATION = 5000


def read_idx(folder, name):
    """An IDX file of folder (name or name.gz) as a NumPy array of its shape (unsigned bytes)."""
    path = os.path.join(folder, name)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            raw = f.read()
    elif os.path.exists(path):
        with open(path, "rb") as f:
            raw = f.read()
    else:
        sys.exit(f"{path}.gz does not exist (nor {path}); install the Debian package dataset-fashion-mnist "
                 f"or pass --data with a folder holding the four Fashion-MNIST IDX files")
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        sys.exit(f"{path}: not an IDX file of unsigned bytes")
    dims = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder):
    """(train images, train labels, test images, test labels); images as float64 pixel / 255, one row each."""
    x = read_idx(folder, "train-images-idx3-ubyte")
    y = read_idx(folder, "train-labels-idx1-ubyte")
    xt = read_idx(folder, "t10k-images-idx3-ubyte")
    yt = read_idx(folder, "t10k-labels-idx1-ubyte")
    x = x.reshape(len(x), -1).astype(np.float64) / 255.0
    xt = xt.reshape(len(xt), -1).astype(np.float64) / 255.0
    return x, y.astype(np.int64), xt, yt.astype(np.int64)


def add_outer_numpy(w, g, v):
    """w += g v^T, as NumPy code writes it: a temporary outer product, then an in-place add."""
    w += np.outer(g, v)


def add_outer_blas(w, g, v):
    """w += g v^T in place with BLAS dger (SciPy), no temporary: w (C order) is w.T in Fortran order."""
    _DGER(1.0, v, g, a=w.T, overwrite_a=1)


_DGER = None
add_outer = add_outer_numpy


def use_blas_rank_one():
    """Switches the rank-one updates to BLAS dger, after checking that it updates in place."""
    global _DGER, add_outer
    from scipy.linalg.blas import dger
    _DGER = dger
    w = np.zeros((3, 2))
    add_outer_blas(w, np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0]))
    if not np.array_equal(w, np.outer([1.0, 2.0, 3.0], [1.0, -1.0])):
        sys.exit("scipy's dger does not update in place here; use --rank-one outer")
    add_outer = add_outer_blas


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def forward_weights(sizes, rng):
    """LayeredNetwork.forwardWeights: W_k (n_k x n_{k-1}) U(-s, s), s = 1 / sqrt(n_{k-1})."""
    ws = []
    for k in range(1, len(sizes)):
        s = 1.0 / np.sqrt(sizes[k - 1])
        ws.append(rng.uniform(-s, s, size=(sizes[k], sizes[k - 1])))
    return ws


class Backprop:
    """Online SGD, logistic hidden layers, softmax + cross-entropy output, biases; eta per layer."""

    def __init__(self, sizes, rng, eta=0.02):
        self.w = forward_weights(sizes, rng)
        self.b = [np.zeros(n) for n in sizes[1:]]
        self.eta = eta

    def forward(self, x):
        hs = [x]
        for k, (w, b) in enumerate(zip(self.w, self.b)):
            a = w @ hs[-1] + b
            if k == len(self.w) - 1:
                e = np.exp(a - a.max())
                hs.append(e / e.sum())
            else:
                hs.append(sigmoid(a))
        return hs

    def train(self, x, t):
        hs = self.forward(x)
        delta = hs[-1] - t
        for k in range(len(self.w) - 1, -1, -1):
            below = None
            if k > 0:
                # from the weights before the update
                below = (self.w[k].T @ delta) * hs[k] * (1.0 - hs[k])
            g = self.eta * delta
            add_outer(self.w[k], -g, hs[k])
            self.b[k] -= g
            delta = below

    def predict(self, x):
        return self.forward(x)[-1]


class SteadyMicrocircuit:
    """MicrocircuitLearner, Form.STEADY_STATE, with the parameters of MicrocircuitLearner.forTask."""

    gL, gB, gA, gD, gSom = 0.1, 1.0, 0.8, 1.0, 0.8

    def __init__(self, sizes, rng, eta_bp=0.02, top_down_scale=0.05):
        gL, gB, gA, gD, gSom = self.gL, self.gB, self.gA, self.gD, self.gSom
        self.layers = n_layers = len(sizes) - 1
        # attenuation aB_k of the un-nudged steady state, and the nudge's share at steady state (k = 1..N)
        self.att = [gB / (gL + gB) if k == n_layers else gB / (gL + gB + gA) for k in range(1, n_layers + 1)]
        mixing = [gSom / (gL + gB + gSom) if k == n_layers else gA / (gL + gB + gA) for k in range(1, n_layers + 1)]
        # learning rates: eta_k = eta_BP / (aB_k prod_{j >= k} mixing_j (gL + gD) / (gL + gD + gSom) below the top)
        self.eta = [0.0] * n_layers
        chain = 1.0
        for k in range(n_layers, 0, -1):
            chain *= mixing[k - 1] if k == n_layers else mixing[k - 1] * (gL + gD) / (gL + gD + gSom)
            self.eta[k - 1] = eta_bp / (self.att[k - 1] * chain)
        self.eta_p = self.eta[1:]
        # the layered network's initial weights, divided by the attenuation; biases 0
        self.w = [w / a for w, a in zip(forward_weights(sizes, rng), self.att)]
        self.c = [np.zeros(n) for n in sizes[1:]]
        # fixed top-down B_k (n_k x n_{k+1}); self-predicting Q_k = -B_k and P_k = factor W_{k+1}
        self.bt = [rng.uniform(-top_down_scale, top_down_scale, size=(sizes[k], sizes[k + 1]))
                   for k in range(1, n_layers)]
        self.q = [-b for b in self.bt]
        self.p = []
        for k in range(1, n_layers):
            g_above = 0.0 if k + 1 == n_layers else gA
            factor = gB * (gL + gD) / (gD * (gL + gB + g_above))
            self.p.append(factor * self.w[k])
        self.a_i = gD / (gL + gD)

    def bottom_up(self, x):
        """vB_k = W_k r_{k-1} + c_k, u_k = aB_k vB_k, r_k = f(u_k) (logistic everywhere)."""
        vb, r = [], [x]
        for w, c, a in zip(self.w, self.c, self.att):
            v = w @ r[-1] + c
            vb.append(v)
            r.append(sigmoid(a * v))
        return vb, r

    def train(self, x, t):
        gL, gB, gA, gD, gSom = self.gL, self.gB, self.gA, self.gD, self.gSom
        n_layers = self.layers
        u_target = np.log(0.1 + 0.7 * t) - np.log(1.0 - (0.1 + 0.7 * t))
        vb, r_hat = self.bottom_up(x)
        # interneuron dendrites from the bottom-up rates
        v_i = [p @ r_hat[k + 1] for k, p in enumerate(self.p)]
        r = list(r_hat)
        # the nudged output
        u = (gB * vb[-1] + gSom * u_target) / (gL + gB + gSom)
        r[n_layers] = sigmoid(u)
        r_i = [None] * (n_layers - 1)
        # top-down: interneurons, apical potentials, somata
        for k in range(n_layers - 1, 0, -1):
            u_i = (gD * v_i[k - 1] + gSom * u) / (gL + gD + gSom)
            r_i[k - 1] = sigmoid(u_i)
            v_a = self.bt[k - 1] @ r[k + 1] + self.q[k - 1] @ r_i[k - 1]
            u = (gB * vb[k - 1] + gA * v_a) / (gL + gB + gA)
            r[k] = sigmoid(u)
        # Eq. 7: W_k and c_k (presynaptic rates after the top-down pass)
        for k in range(n_layers):
            g = self.eta[k] * (r[k + 1] - r_hat[k + 1])
            add_outer(self.w[k], g, r[k])
            self.c[k] += g
        # Eq. 8: P_k towards the interneurons' nudged rates
        for k in range(n_layers - 1):
            g = self.eta_p[k] * (r_i[k] - sigmoid(self.a_i * v_i[k]))
            add_outer(self.p[k], g, r[k + 1])

    def predict(self, x):
        return self.bottom_up(x)[1][-1]


# each rule at the learning-rate factor the Fashion-MNIST comparison's scan chose (docs/credit-assignment.md), as
# `neurode bench credit` runs them: backprop x1, the steady-state microcircuit x0.25 (at which no pattern needs the
# Java learner's sub-steps, so both implement the one-step two-pass form)
RULES = {"backprop": lambda sizes, rng: Backprop(sizes, rng, eta=0.02),
         "microcircuit-steady": lambda sizes, rng: SteadyMicrocircuit(sizes, rng, eta_bp=0.02 * 0.25)}


def test_error(learner, xt, yt):
    wrong = 0
    for i in range(len(xt)):
        wrong += int(np.argmax(learner.predict(xt[i])) != yt[i])
    return wrong / len(xt)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="folder of the Fashion-MNIST IDX files (default %(default)s)")
    ap.add_argument("--patterns", type=int, default=11000,
                    help="training patterns per round and rule (default %(default)s: five rounds are one epoch)")
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds per rule (default %(default)s)")
    ap.add_argument("--warmup", type=int, help="untimed patterns per rule first (default: one round, as neurode)")
    ap.add_argument("--rules", default="backprop,microcircuit-steady", help="comma-separated (default %(default)s)")
    ap.add_argument("--hidden", type=int, default=500, help="hidden units (default %(default)s)")
    ap.add_argument("--seed", type=int, default=1, help="weights and order (default %(default)s)")
    ap.add_argument("--rank-one", choices=("outer", "blas"), default="outer",
                    help="the weight updates w += g v^T: outer (default; np.outer and +=, idiomatic NumPy) or blas "
                         "(SciPy's BLAS dger in place, no temporary)")
    ap.add_argument("--no-test", action="store_true", help="skip the test error")
    ap.add_argument("--out", help="also write the JSON to this file")
    args = ap.parse_args()
    rules = [r for r in args.rules.split(",") if r]
    for r in rules:
        if r not in RULES:
            sys.exit(f"unknown rule '{r}'; known: {', '.join(RULES)}")
    if args.rank_one == "blas":
        use_blas_rank_one()
    if args.warmup is None:
        args.warmup = args.patterns
    if args.patterns < 1 or args.rounds < 1 or args.warmup < 0:
        sys.exit("--patterns and --rounds must be positive, --warmup not negative")
    x, y, xt, yt = load(args.data)
    train_size = len(x) - VALIDATION
    eye = np.eye(yt.max() + 1)
    sizes = [x.shape[1], args.hidden, eye.shape[0]]
    total = args.warmup + args.rounds * args.patterns
    learners, orders = [], []
    for name in rules:
        rng = np.random.default_rng(args.seed)
        learners.append(RULES[name](sizes, rng))
        # a new random order every epoch
        orders.append(np.concatenate([rng.permutation(train_size) for _ in range(total // train_size + 1)]))
    for learner, order in zip(learners, orders):
        for i in order[:args.warmup]:
            learner.train(x[i], eye[y[i]])
    rates = [[] for _ in rules]
    # the rules take turns, round by round, as in `neurode bench credit`
    for r in range(args.rounds):
        lo = args.warmup + r * args.patterns
        for k, (learner, order) in enumerate(zip(learners, orders)):
            t0 = time.perf_counter()
            for i in order[lo:lo + args.patterns]:
                learner.train(x[i], eye[y[i]])
            rates[k].append(args.patterns / (time.perf_counter() - t0))
    result = {"numpy": np.__version__, "python": platform.python_version(),
              "threads": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
              "rankOne": args.rank_one, "sizes": sizes, "patternsPerRound": args.patterns, "rounds": args.rounds,
              "warmupPatterns": args.warmup, "seed": args.seed, "rules": []}
    for k, name in enumerate(rules):
        rs = sorted(rates[k])
        entry = {"rule": name, "patternsTrained": total, "patternsPerSecond": rs[len(rs) // 2],
                 "patternsPerSecondBest": rs[-1], "patternsPerSecondWorst": rs[0],
                 "microsecondsPerPattern": 1e6 / rs[len(rs) // 2]}
        if not args.no_test:
            entry["testError"] = test_error(learners[k], xt, yt)
        result["rules"].append(entry)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
