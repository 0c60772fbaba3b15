/**
 * Closed-form continuous-time (CfC) networks (Hasani et al. 2022, Nature Machine Intelligence, "Closed-form
 * continuous-time neural networks") in the three variants of ncps (gated, no-gate, pure Cf-S), trained by
 * hand-written backpropagation through time, and the synthetic bit-stream XOR task of that paper in dense
 * and event-based (irregularly sampled) form. Time is dimensionless: elapsed times are in the model's own
 * unit (for the XOR task, bits divided by the pad size); inputs and hidden states are dimensionless.
 */
package org.neurode.models.cfc;
