/**
 * Units of measure at build time: {@link org.neurode.core.units.Unit} (a {@link org.neurode.core.units.Dimension}
 * and a scale factor to SI) parsed from the spellings of Brian2, NeuroML and NMODL, shown as a user writes them;
 * {@link org.neurode.core.units.Quantity}, a number with a unit as a file gives it;
 * {@link org.neurode.core.units.UnitInference}, which infers and checks the unit of an expression tree;
 * {@link org.neurode.core.units.UnitCheck}, which checks a whole {@link org.neurode.core.spec.ModelSpec} and
 * converts its values; {@link org.neurode.core.units.ModelUnits}, the result. Values are scaled to the declared
 * units once, when the model is built; nothing here exists at run time: equations run on plain doubles in the
 * declared units.
 *
 * @since 0.3
 */
package org.neurode.core.units;
