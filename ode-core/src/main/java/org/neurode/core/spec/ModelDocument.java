package org.neurode.core.spec;

import java.util.Objects;

/**
 * What a model file or a JSON/YAML model document holds: the model and the settings of the problem it poses.
 *
 * @param model   the model
 * @param problem time span, references, stiffness and tolerance ratio ({@link ProblemSettings#NONE} if none)
 * @since 0.3
 */
public record ModelDocument(ModelSpec model, ProblemSettings problem) {

    /**
     * @param model   model
     * @param problem problem settings
     */
    public ModelDocument {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * @param model a model
     * @return the document of the model alone
     */
    public static ModelDocument of(final ModelSpec model) {
        return new ModelDocument(model, ProblemSettings.NONE);
    }
}
