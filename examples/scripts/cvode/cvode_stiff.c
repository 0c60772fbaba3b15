/*
 * CVODE (SUNDIALS) BDF on neurode's stiff standard problems: ROBER (t = 1e11), HIRES (t = 321.8122) and
 * Van der Pol mu = 1000 (t = 2000), with the definitions, end times, atol convention (atol = rtol * factor:
 * ROBER 1e-6, HIRES 1e-3, VDPOLM 1) and analytic Jacobians of org.neurode.solvers.compare.StandardProblems.
 * Newton iteration with the dense direct solver and the user Jacobian (no difference quotients).
 * Prints one CSV row per (problem, rtol): nfev, njev, nlu (linear-solver setups = LU factorizations),
 * steps, error-test and Newton failures, max abs / rel error and mescd against the Test Set reference,
 * and the minimum wall time of --repeats runs (after one warm-up). Build and run: see README.md here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

typedef struct {
  const char *name;
  int n;
  double tEnd;
  double atolFactor;
  double y0[8];
  double ref[8];
  CVRhsFn f;
  CVLsJacFn jac;
} Problem;

#define Y(i) (NV_Ith_S(y, i))
#define F(i) (NV_Ith_S(ydot, i))
#define J(i, j) (SM_ELEMENT_D(jm, i, j))

static int rober(realtype t, N_Vector y, N_Vector ydot, void *ud) {
  F(0) = -0.04 * Y(0) + 1e4 * Y(1) * Y(2);
  F(2) = 3e7 * Y(1) * Y(1);
  F(1) = -F(0) - F(2);
  return 0;
}

static int roberJac(realtype t, N_Vector y, N_Vector fy, SUNMatrix jm, void *ud, N_Vector t1, N_Vector t2,
                    N_Vector t3) {
  J(0, 0) = -0.04; J(0, 1) = 1e4 * Y(2); J(0, 2) = 1e4 * Y(1);
  J(2, 0) = 0.0; J(2, 1) = 6e7 * Y(1); J(2, 2) = 0.0;
  J(1, 0) = -J(0, 0) - J(2, 0); J(1, 1) = -J(0, 1) - J(2, 1); J(1, 2) = -J(0, 2) - J(2, 2);
  return 0;
}

static int hires(realtype t, N_Vector y, N_Vector ydot, void *ud) {
  F(0) = -1.71 * Y(0) + 0.43 * Y(1) + 8.32 * Y(2) + 0.0007;
  F(1) = 1.71 * Y(0) - 8.75 * Y(1);
  F(2) = -10.03 * Y(2) + 0.43 * Y(3) + 0.035 * Y(4);
  F(3) = 8.32 * Y(1) + 1.71 * Y(2) - 1.12 * Y(3);
  F(4) = -1.745 * Y(4) + 0.43 * Y(5) + 0.43 * Y(6);
  F(5) = -280.0 * Y(5) * Y(7) + 0.69 * Y(3) + 1.71 * Y(4) - 0.43 * Y(5) + 0.69 * Y(6);
  F(6) = 280.0 * Y(5) * Y(7) - 1.81 * Y(6);
  F(7) = -F(6);
  return 0;
}

static int hiresJac(realtype t, N_Vector y, N_Vector fy, SUNMatrix jm, void *ud, N_Vector t1, N_Vector t2,
                    N_Vector t3) {
  SUNMatZero(jm);
  J(0, 0) = -1.71; J(0, 1) = 0.43; J(0, 2) = 8.32;
  J(1, 0) = 1.71; J(1, 1) = -8.75;
  J(2, 2) = -10.03; J(2, 3) = 0.43; J(2, 4) = 0.035;
  J(3, 1) = 8.32; J(3, 2) = 1.71; J(3, 3) = -1.12;
  J(4, 4) = -1.745; J(4, 5) = 0.43; J(4, 6) = 0.43;
  J(5, 3) = 0.69; J(5, 4) = 1.71; J(5, 5) = -280.0 * Y(7) - 0.43; J(5, 6) = 0.69; J(5, 7) = -280.0 * Y(5);
  J(6, 5) = 280.0 * Y(7); J(6, 6) = -1.81; J(6, 7) = 280.0 * Y(5);
  for (int c = 0; c < 8; c++) J(7, c) = -J(6, c);
  return 0;
}

static int vdpol(realtype t, N_Vector y, N_Vector ydot, void *ud) {
  F(0) = Y(1);
  F(1) = 1000.0 * (1.0 - Y(0) * Y(0)) * Y(1) - Y(0);
  return 0;
}

static int vdpolJac(realtype t, N_Vector y, N_Vector fy, SUNMatrix jm, void *ud, N_Vector t1, N_Vector t2,
                    N_Vector t3) {
  J(0, 0) = 0.0; J(0, 1) = 1.0;
  J(1, 0) = -2000.0 * Y(0) * Y(1) - 1.0; J(1, 1) = 1000.0 * (1.0 - Y(0) * Y(0));
  return 0;
}

/* Test Set for IVP Solvers (release 2.4) references, as in neurode's ivp-reference.csv */
static Problem PROBLEMS[] = {
  {"ROBER", 3, 1e11, 1e-6, {1.0, 0.0, 0.0},
   {0.2083340149701255e-7, 0.8333360770334713e-13, 0.9999999791665050}, rober, roberJac},
  {"HIRES", 8, 321.8122, 1e-3, {1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057},
   {0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
    0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2}, hires, hiresJac},
  {"VDPOLM_MU1000", 2, 2000.0, 1.0, {2.0, 0.0}, {0.1706167732170469e1, -0.8928097010248125e-3}, vdpol, vdpolJac},
};

typedef struct {
  long nfev, njev, nlu, steps, netf, nncf;
  double yEnd[8];
  int flag;
} Result;

static Result solve(SUNContext sun, const Problem *p, double rtol) {
  Result r;
  memset(&r, 0, sizeof r);
  N_Vector y = N_VNew_Serial(p->n, sun);
  for (int i = 0; i < p->n; i++) NV_Ith_S(y, i) = p->y0[i];
  void *mem = CVodeCreate(CV_BDF, sun);
  CVodeInit(mem, p->f, 0.0, y);
  CVodeSStolerances(mem, rtol, rtol * p->atolFactor);
  CVodeSetMaxNumSteps(mem, 10000000L);
  SUNMatrix a = SUNDenseMatrix(p->n, p->n, sun);
  SUNLinearSolver ls = SUNLinSol_Dense(y, a, sun);
  CVodeSetLinearSolver(mem, ls, a);
  CVodeSetJacFn(mem, p->jac);
  realtype t = 0.0;
  r.flag = CVode(mem, p->tEnd, y, &t, CV_NORMAL);
  long nfeLS = 0;
  CVodeGetNumRhsEvals(mem, &r.nfev);
  CVodeGetNumLinRhsEvals(mem, &nfeLS);
  r.nfev += nfeLS;
  CVodeGetNumJacEvals(mem, &r.njev);
  CVodeGetNumLinSolvSetups(mem, &r.nlu);
  CVodeGetNumSteps(mem, &r.steps);
  CVodeGetNumErrTestFails(mem, &r.netf);
  CVodeGetNumNonlinSolvConvFails(mem, &r.nncf);
  for (int i = 0; i < p->n; i++) r.yEnd[i] = NV_Ith_S(y, i);
  CVodeFree(&mem);
  SUNLinSolFree(ls);
  SUNMatDestroy(a);
  N_VDestroy(y);
  return r;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv) {
  int repeats = 5;
  const char *tolList = "1e-4,1e-5,1e-6,1e-7,1e-8,1e-9,1e-10";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--tolerances") && i + 1 < argc) tolList = argv[++i];
  }
  SUNContext sun;
  SUNContext_Create(NULL, &sun);
  printf("problem,rtol,atol,nfev,njev,nlu,steps,errTestFails,newtonFails,maxAbsError,maxRelError,mescd,wallMs,status\n");
  for (size_t k = 0; k < sizeof PROBLEMS / sizeof PROBLEMS[0]; k++) {
    const Problem *p = &PROBLEMS[k];
    char buf[256];
    strncpy(buf, tolList, sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
      const double rtol = atof(tok);
      Result r = solve(sun, p, rtol);
      double best = INFINITY;
      for (int rep = 0; rep < repeats; rep++) {
        const double t0 = now();
        solve(sun, p, rtol);
        const double dt = now() - t0;
        if (dt < best) best = dt;
      }
      double maxAbs = 0.0, maxRel = 0.0, mescd = 17.0;
      const double ratio = p->atolFactor; /* atol / rtol */
      for (int i = 0; i < p->n; i++) {
        const double e = fabs(r.yEnd[i] - p->ref[i]);
        if (e > maxAbs) maxAbs = e;
        if (p->ref[i] != 0.0 && e / fabs(p->ref[i]) > maxRel) maxRel = e / fabs(p->ref[i]);
        const double d = e == 0.0 ? 17.0 : -log10(e / (ratio + fabs(p->ref[i])));
        if (d < mescd) mescd = d;
      }
      printf("%s,%g,%g,%ld,%ld,%ld,%ld,%ld,%ld,%.3e,%.3e,%.2f,%.4f,%s\n", p->name, rtol, rtol * p->atolFactor,
             r.nfev, r.njev, r.nlu, r.steps, r.netf, r.nncf, maxAbs, maxRel, mescd, 1e3 * best,
             r.flag >= 0 ? "SUCCESS" : "FAILED");
      fflush(stdout);
    }
  }
  SUNContext_Free(&sun);
  return 0;
}
