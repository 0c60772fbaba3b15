/**
 * Neuron, population and plasticity models scripted with {@link org.neurode.core.expr.ModelBuilder}.
 * Units: time in ms, potentials in mV, rates in Hz (or dimensionless where a model says so).
 */
package org.neurode.models;
