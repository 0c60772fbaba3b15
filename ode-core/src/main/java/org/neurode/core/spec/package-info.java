/**
 * A model as data: immutable, serializable records that describe a model's variables, parameters, named
 * subexpressions, equations, noise and events, with expressions as trees ({@link org.neurode.core.spec.ExprSpec})
 * and units as text. The Java builder, model files and JSON/YAML documents all produce a
 * {@link org.neurode.core.spec.ModelSpec}; the compiler consumes only it. Units are those the model declares
 * (ms and mV by convention for neuron models); nothing here is evaluated.
 *
 * @since 0.3
 */
package org.neurode.core.spec;
