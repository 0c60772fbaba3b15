/**
 * The {@code neurode bench} command: timings (seconds of wall time) reported as ratios against baselines
 * run in the same process (Hipparchus called directly) or measured on this machine class (Brian2).
 */
package org.neurode.examples.bench;
