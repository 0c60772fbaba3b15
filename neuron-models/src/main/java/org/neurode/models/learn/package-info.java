/**
 * Training support shared by the continuous-time networks: flat named parameter vectors, optimizers (Adam,
 * RMSprop, SGD, gradient-norm clipping), losses with gradients, the {@link org.neurode.models.learn.SequenceModel}
 * contract of recurrent cells trained by backpropagation through time, JSON save and load, and finite-difference
 * gradient checks.
 */
package org.neurode.models.learn;
