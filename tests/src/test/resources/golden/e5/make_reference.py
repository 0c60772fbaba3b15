#!/usr/bin/env python3
"""High-precision reference solution of the Test Set problem E5 (stiff DETEST E5, chemical pyrolysis).

    y1' = -A y1 - B y1 y3
    y2' =  A y1 - M C y2 y3
    y4' =  B y1 y3 - C y4
    y3' =  y2' - y4'                       (as the Test Set's Fortran computes f3 = f2 - f4)
    A = 7.89e-10, B = 1.1e7, C = 1.13e3, M = 1e6; y(0) = (1.76e-3, 0, 0, 0); t in [0, 1e13]

Integrator: Radau IIA with s stages (order 2s - 1, L-stable, stiffly accurate), written out here: nodes
and coefficients computed with mpmath to 60 digits, stage equations solved by full Newton (Jacobian at
the stage values, refactored every iteration) to 10^-(digits - 6) of each component, step size by step
doubling (one step of h against two of h/2, local error of every component relative to itself, absolute
floor 1e-60). Two independent runs (different arithmetic, formulation, order and tolerance):

    A: Python's decimal (libmpdec) at 40 digits, the 4-variable system as written, s = 7 (order 13)
    B: mpmath at 50 digits, the invariant eliminated (y3 := y2 - y4, 3 variables), s = 6 (order 11)

Both print the end values and the invariant y2 - y3 - y4 along the run. The late-time asymptotics
y2 = y3 = u with u' = -M C u^2 (once A y1 and y4 are negligible) is checked by the script as well.

    /usr/bin/python3 make_reference.py            # both runs (about 10 + 20 minutes on one core)
    /usr/bin/python3 make_reference.py A          # one of them

Needs mpmath (Debian python3-mpmath; python3-gmpy2 makes run B several times faster). Not used by the
build or the tests: the values it prints are in solvers/src/main/resources/org/neurode/solvers/compare/
ivp-reference.csv (problem E5) and README.md beside this file.
"""
import decimal
import math
import sys
import time

import mpmath

T_END = 10 ** 13
A_, B_, C_, M_ = "7.89e-10", "1.1e7", "1.13e3", "1e6"


def radau_coefficients(s, digits=60):
    """Radau IIA nodes c (zeros of P_s(2x-1) - P_{s-1}(2x-1)) and matrix A (collocation), as strings."""
    with mpmath.workdps(digits):
        def poly(x):
            return mpmath.legendre(s, 2 * x - 1) - mpmath.legendre(s - 1, 2 * x - 1)
        # Chebyshev-like starting points; the zeros are simple and lie in (0, 1]
        roots = []
        for k in range(s):
            guess = (1 - mpmath.cos(mpmath.pi * (k + 0.5) / s)) / 2
            r = mpmath.findroot(poly, guess)
            roots.append(r)
        roots = sorted(set(mpmath.nstr(r, digits - 5) for r in roots), key=lambda v: mpmath.mpf(v))
        if len(roots) != s:
            # fall back to polyroots on the coefficients
            coeffs = mpmath.taylor(poly, 0, s)[::-1]
            roots = sorted(mpmath.nstr(mpmath.re(r), digits - 5) for r in mpmath.polyroots(coeffs, maxsteps=200,
                                                                                           extraprec=200))
        c = [mpmath.mpf(r) for r in roots]
        c[-1] = mpmath.mpf(1)
        # a_ij: sum_j a_ij c_j^(k-1) = c_i^k / k, k = 1..s
        v = mpmath.matrix(s, s)
        for k in range(s):
            for j in range(s):
                v[k, j] = c[j] ** k
        a = []
        for i in range(s):
            rhs = mpmath.matrix([c[i] ** (k + 1) / (k + 1) for k in range(s)])
            row = mpmath.lu_solve(v, rhs)
            a.append([mpmath.nstr(row[j], digits - 5) for j in range(s)])
        # checks: B-row = last row (stiffly accurate), sum a_ij = c_i
        for i in range(s):
            assert abs(sum(mpmath.mpf(x) for x in a[i]) - c[i]) < mpmath.mpf(10) ** (-(digits - 10))
        return [mpmath.nstr(x, digits - 5) for x in c], a


class Arithmetic:
    """Numbers of one library: decimal.Decimal or mpmath.mpf."""

    def __init__(self, kind, digits):
        self.kind = kind
        self.digits = digits
        if kind == "decimal":
            ctx = decimal.Context(prec=digits, Emin=-999999999, Emax=999999999)
            decimal.setcontext(ctx)
            self.num = decimal.Decimal
        else:
            mpmath.mp.dps = digits
            self.num = mpmath.mpf
        self.zero = self.num(0)
        self.one = self.num(1)


def e5_full(ar):
    A, B, C, M = (ar.num(x) for x in (A_, B_, C_, M_))
    MC = M * C

    def f(t, y):
        p1 = A * y[0]
        p2 = B * y[0] * y[2]
        p3 = MC * y[1] * y[2]
        p4 = C * y[3]
        f1 = -p1 - p2
        f2 = p1 - p3
        f4 = p2 - p4
        return [f1, f2, f2 - f4, f4]

    def jac(t, y):
        z = ar.zero
        return [[-A - B * y[2], z, -B * y[0], z],
                [A, -MC * y[2], -MC * y[1], z],
                [A - B * y[2], -MC * y[2], -B * y[0] - MC * y[1], C],
                [B * y[2], z, B * y[0], -C]]

    def full(y):
        return list(y)

    y0 = [ar.num("1.76e-3"), ar.zero, ar.zero, ar.zero]
    return f, jac, y0, full


def e5_reduced(ar):
    """Variables (y1, y2, y4); y3 = y2 - y4 is the invariant y2 - y3 - y4 = 0 solved for y3."""
    A, B, C, M = (ar.num(x) for x in (A_, B_, C_, M_))
    MC = M * C

    def f(t, x):
        y3 = x[1] - x[2]
        p1 = A * x[0]
        p2 = B * x[0] * y3
        p3 = MC * x[1] * y3
        p4 = C * x[2]
        return [-p1 - p2, p1 - p3, p2 - p4]

    def jac(t, x):
        y1, y2, y4 = x
        y3 = y2 - y4
        return [[-A - B * y3, -B * y1, B * y1],
                [A, -MC * y3 - MC * y2, MC * y2],
                [B * y3, B * y1, -B * y1 - C]]

    def full(x):
        return [x[0], x[1], x[1] - x[2], x[2]]

    y0 = [ar.num("1.76e-3"), ar.zero, ar.zero]
    return f, jac, y0, full


def lu_solve(m, b):
    """Gaussian elimination with partial pivoting on lists (m and b are overwritten)."""
    n = len(b)
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(m[i][k]))
        if m[p][k] == 0:
            raise ZeroDivisionError("singular Newton matrix")
        if p != k:
            m[k], m[p] = m[p], m[k]
            b[k], b[p] = b[p], b[k]
        mk = m[k]
        piv = mk[k]
        for i in range(k + 1, n):
            mi = m[i]
            l = mi[k] / piv
            if l != 0:
                for j in range(k + 1, n):
                    mi[j] -= l * mk[j]
                b[i] -= l * b[k]
    x = [None] * n
    for i in range(n - 1, -1, -1):
        acc = b[i]
        mi = m[i]
        for j in range(i + 1, n):
            acc -= mi[j] * x[j]
        x[i] = acc / mi[i]
    return x


class Radau:
    def __init__(self, ar, s, f, jac, n, atol, newton_tol):
        self.ar = ar
        self.s = s
        c, a = radau_coefficients(s)
        self.c = [ar.num(x) for x in c]
        self.a = [[ar.num(x) for x in row] for row in a]
        self.f = f
        self.jac = jac
        self.n = n
        self.atol = ar.num(atol)
        self.newton_tol = ar.num(newton_tol)
        self.newton_iterations = 0
        self.evaluations = 0

    def step(self, t, y, h):
        """One Radau IIA step; returns y(t + h) or None if Newton fails."""
        s, n, a, c = self.s, self.n, self.a, self.c
        z = [[self.ar.zero] * n for _ in range(s)]
        for it in range(30):
            ys = [[y[k] + z[i][k] for k in range(n)] for i in range(s)]
            fs = [self.f(t + c[i] * h, ys[i]) for i in range(s)]
            js = [self.jac(t + c[i] * h, ys[i]) for i in range(s)]
            self.evaluations += s
            # residual G = Z - h A F, Newton matrix I - h (a_ij J_j)
            rhs = []
            m = []
            for i in range(s):
                for k in range(n):
                    acc = z[i][k]
                    for j in range(s):
                        acc -= h * a[i][j] * fs[j][k]
                    rhs.append(-acc)
                    row = []
                    for j in range(s):
                        haij = h * a[i][j]
                        jj = js[j]
                        for l in range(n):
                            v = -haij * jj[k][l]
                            if i == j and k == l:
                                v += 1
                            row.append(v)
                    m.append(row)
            try:
                dz = lu_solve(m, rhs)
            except ZeroDivisionError:
                return None
            self.newton_iterations += 1
            small = True
            for i in range(s):
                for k in range(n):
                    d = dz[i * n + k]
                    z[i][k] += d
                    scale = abs(y[k]) + abs(z[i][k]) + self.atol
                    if abs(d) > self.newton_tol * scale:
                        small = False
            if small:
                return [y[k] + z[s - 1][k] for k in range(n)]
        return None


def integrate(label, ar, s, problem, rtol, atol="1e-60", h0="1e-12", report=None):
    f, jac, y0, full = problem(ar)
    n = len(y0)
    newton_tol = "1e-%d" % (ar.digits - 6)
    method = Radau(ar, s, f, jac, n, atol, newton_tol)
    rtol_n = ar.num(rtol)
    atol_n = ar.num(atol)
    order = 2 * s - 1
    t = ar.zero
    y = y0
    h = ar.num(h0)
    t_end = ar.num(T_END)
    accepted = rejected = 0
    checkpoints = [ar.num(10) ** k for k in range(-5, 14)]
    samples = []
    drift = ar.zero
    start = time.time()
    while t < t_end:
        target = checkpoints[0] if checkpoints else t_end
        clamped = t + h >= target
        step = target - t if clamped else h
        big = method.step(t, y, step)
        half = method.step(t, y, step / 2) if big is not None else None
        small = method.step(t + step / 2, half, step / 2) if half is not None else None
        if small is None:
            h = step / 4
            rejected += 1
            continue
        err = 0.0
        for k in range(n):
            e = abs(small[k] - big[k]) / (atol_n + rtol_n * max(abs(y[k]), abs(small[k])))
            err = max(err, float(e) / (2 ** order - 1))
        fac = 3.0 if err == 0.0 else min(3.0, max(0.2, 0.9 * err ** (-1.0 / (order + 1))))
        if err <= 1.0:
            t = target if clamped else t + step
            y = small
            accepted += 1
            yf = full(y)
            drift = max(drift, abs(yf[1] - yf[2] - yf[3]))
            if clamped:
                samples.append((t, yf))
                if checkpoints:
                    checkpoints.pop(0)
                # a step cut short by a checkpoint does not shrink the next one
                h = max(h, step * ar.num(repr(fac)))
            else:
                h = step * ar.num(repr(fac))
            if report and accepted % 200 == 0:
                report("%s: t = %.3e, h = %.2e, accepted %d, rejected %d, %.0f s" % (
                    label, float(t), float(h), accepted, rejected, time.time() - start))
        else:
            rejected += 1
            h = step * ar.num(repr(fac))
    yf = full(y)
    return {"label": label, "y": yf, "accepted": accepted, "rejected": rejected, "samples": samples,
            "max_invariant": drift, "newton": method.newton_iterations, "seconds": time.time() - start}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def show(res, digits=25):
    print("run %s: %d accepted, %d rejected steps, %d Newton iterations, %.0f s" % (
        res["label"], res["accepted"], res["rejected"], res["newton"], res["seconds"]))
    for k, v in enumerate(res["y"]):
        print("  y%d(1e13) = %s" % (k + 1, mpmath.nstr(mpmath.mpf(str(v)), digits)))
    y = res["y"]
    print("  y2 - y3 - y4 at the end = %s, max along the run %s" % (
        mpmath.nstr(mpmath.mpf(str(y[1] - y[2] - y[3])), 5), mpmath.nstr(mpmath.mpf(str(res["max_invariant"])), 5)))
    for tc, yc in res["samples"]:
        print("  t = %-8s y = %s" % (mpmath.nstr(mpmath.mpf(str(tc)), 3),
                                     ", ".join(mpmath.nstr(mpmath.mpf(str(v)), 12) for v in yc)))
    # late-time asymptotics: u' = -M C u^2 from the sample at 1e12 predicts y2 = y3 at 1e13
    mc = mpmath.mpf("1e6") * mpmath.mpf("1.13e3")
    for tc, yc in res["samples"]:
        if mpmath.mpf(str(tc)) == mpmath.mpf("1e12"):
            u1 = mpmath.mpf(str(yc[1]))
            pred = u1 / (1 + mc * u1 * (mpmath.mpf(T_END) - mpmath.mpf("1e12")))
            print("  asymptotics from t = 1e12 (u' = -MC u^2): y2(1e13) ~ %s (rel. diff %s); 1/(MC t) = %s" % (
                mpmath.nstr(pred, 16), mpmath.nstr((pred - mpmath.mpf(str(y[1]))) / pred, 3),
                mpmath.nstr(1 / (mc * T_END), 16)))
    sys.stdout.flush()


def main():
    which = sys.argv[1:] or ["A", "B"]
    results = []
    if "A" in which:
        res = integrate("A (decimal 40 digits, 4 variables, Radau IIA s=7, rtol 1e-24)",
                        Arithmetic("decimal", 40), 7, e5_full, "1e-24", report=log)
        show(res)
        results.append(res)
    if "B" in which:
        res = integrate("B (mpmath 50 digits, 3 variables y3 = y2 - y4, Radau IIA s=6, rtol 1e-26)",
                        Arithmetic("mpmath", 50), 6, e5_reduced, "1e-26", report=log)
        show(res)
        results.append(res)
    if len(results) == 2:
        ya, yb = results[0]["y"], results[1]["y"]
        for k in (1, 2):
            a = mpmath.mpf(str(ya[k]))
            b = mpmath.mpf(str(yb[k]))
            print("A vs B, y%d: relative difference %s" % (k + 1, mpmath.nstr(abs(a - b) / abs(b), 3)))


if __name__ == "__main__":
    main()
