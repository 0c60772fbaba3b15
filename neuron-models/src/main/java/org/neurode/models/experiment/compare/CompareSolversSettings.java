package org.neurode.models.experiment.compare;

import java.util.List;

/**
 * Settings of a work-precision comparison ({@link CompareSolvers}).
 *
 * @param problems       names of reference problems ({@code StandardProblems}) and neuron problems
 *                       ({@link NeuronProblems}), case-insensitive; may be empty when {@code problemFiles} is not
 * @param problemFiles   problems written as model documents, with their text (run after {@code problems})
 * @param solvers        registered solver names: adaptive ones sweep {@code tolerances}, fixed-step ones
 *                       {@code fixedSteps}
 * @param tolerances     relative tolerances (atol = rtol times the problem's factor)
 * @param fixedSteps     numbers of steps over each problem's span of the fixed-step solvers
 * @param repeats        timed runs per point after one warm-up (the minimum wall time is reported)
 * @param maxEvaluations right-hand-side evaluation budget per run
 * @since 0.2
 */
public record CompareSolversSettings(List<String> problems, List<ProblemFile> problemFiles, List<String> solvers,
                                     List<Double> tolerances, List<Integer> fixedSteps, int repeats,
                                     long maxEvaluations) {

    /**
     * Copies the lists (null lists become empty ones).
     *
     * @param problems       problem names
     * @param problemFiles   problem files
     * @param solvers        solvers
     * @param tolerances     tolerances
     * @param fixedSteps     step counts
     * @param repeats        repeats
     * @param maxEvaluations evaluation budget
     */
    public CompareSolversSettings {
        problems = problems == null ? List.of() : List.copyOf(problems);
        problemFiles = problemFiles == null ? List.of() : List.copyOf(problemFiles);
        solvers = solvers == null ? List.of() : List.copyOf(solvers);
        tolerances = tolerances == null ? List.of() : List.copyOf(tolerances);
        fixedSteps = fixedSteps == null ? List.of() : List.copyOf(fixedSteps);
    }
}
