/**
 * PNG figures drawn with XChart without a display (headless): spike rasters and traces of recorded
 * variables. Axis labels carry the units of the data: time in ms, potentials in mV.
 */
package org.neurode.examples.plot;
