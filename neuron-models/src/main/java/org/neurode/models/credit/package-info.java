/**
 * Credit assignment compared: learning rules that train a layered network on one pattern at a time, behind one
 * interface ({@link org.neurode.models.credit.Learner}), and the tasks they are compared on
 * ({@link org.neurode.models.credit.Task}). The rules: backprop (the reference), feedback alignment (Lillicrap,
 * Cownden, Tweed and Akerman 2016), direct feedback alignment (Nokland 2016), Kickback (Balduzzi, Vanchinathan and
 * Buhmann 2015) and the shallow learner (output layer only) in {@link org.neurode.models.credit.LayeredNetwork};
 * burstprop (Payeur, Guerguiev, Zenke, Richards and Naud 2021) in {@link org.neurode.models.credit.Burstprop}; the
 * ensemble-multiplexing network of Richards' ICLR 2018 talk in {@link org.neurode.models.credit.EnsembleNetwork}.
 * Rates and potentials are dimensionless; learning rates are per pattern. docs/credit-assignment.md describes the
 * rules, the tasks and the choices made where the papers leave them open.
 */
package org.neurode.models.credit;
