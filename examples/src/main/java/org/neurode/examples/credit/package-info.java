/**
 * {@code neurode compare-learning}: the learning rules of {@code org.neurode.models.credit} side by side on the same
 * tasks, seeds and budget (docs/credit-assignment.md). Errors are dimensionless; times in seconds.
 */
package org.neurode.examples.credit;
