/**
 * Scripting of model equations: {@link org.neurode.core.expr.ModelBuilder} declares variables and
 * parameters and takes equations as {@link org.neurode.core.expr.Expr} objects or text; equations are
 * compiled to Java bytecode. Units are those of the declared variables (ms for time by convention).
 */
package org.neurode.core.expr;
