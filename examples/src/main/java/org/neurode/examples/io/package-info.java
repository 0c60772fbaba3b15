/**
 * Output files of the app and the experiments: atomic writes, JSON (Jackson, through the records of this
 * package and plain maps only; model classes carry no Jackson annotations) and CSV. Units follow the
 * library: time in ms, potentials in mV, rates in Hz; wall-clock durations in s.
 */
package org.neurode.examples.io;
