/**
 * The runnable examples quoted at the top of each module's README (compiled with the build and run by
 * {@code SnippetsTest}). Units: ms, mV.
 */
package org.neurode.examples.snippets;
