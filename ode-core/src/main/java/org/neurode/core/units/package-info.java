/**
 * Units of measure at build time: {@link org.neurode.core.units.Unit} (a {@link org.neurode.core.units.Dimension}
 * and a scale factor to SI) parsed from the spellings of Brian2, NeuroML and NMODL, shown as a user writes them,
 * and used to convert values once; {@link org.neurode.core.units.UnitInference} infers and checks the unit of
 * an expression tree; {@link org.neurode.core.units.UnitCheck} checks a whole
 * {@link org.neurode.core.spec.ModelSpec}. Nothing here exists at run time: equations run on plain doubles in
 * the declared units.
 *
 * @since 0.3
 */
package org.neurode.core.units;
