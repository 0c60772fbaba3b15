/**
 * The {@code neurode} command-line app ({@link org.neurode.examples.Main}) and runnable experiments.
 * This is the only place in neurode that prints: the library modules report through return values and
 * exceptions. Units: time in ms, potentials in mV, rates in Hz, wall-clock time in s.
 */
package org.neurode.examples;
