/**
 * {@code neurode compare-solvers}: work-precision comparison of solvers on reference and neuron problems.
 */
package org.neurode.examples.compare;
