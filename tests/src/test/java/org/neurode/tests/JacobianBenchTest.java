package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.neurode.examples.bench.JacobianBench;

/** {@code neurode bench jacobian} on tiny models: it measures every model and reports what it says it reports. */
class JacobianBenchTest {

    @Test
    void tinyModelsReportTheirTimesAndRatios() {
        // GIVEN the tiny variants of the benchmark's models, two timed rounds, no warm-up time
        final Map<String, Object> r = JacobianBench.run(false, 2, 0.0);
        // THEN every model is measured, with the three times and their ratios to the derivatives
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> models = (List<Map<String, Object>>) r.get("models");
        assertEquals(List.of("microcircuit-5-7-6-3", "chain-100", "cuba-50", "hodgkin-huxley"),
                models.stream().map(m -> m.get("model")).toList());
        for (final Map<String, Object> m : models) {
            for (final String key : List.of("jacobianFirstCallSeconds", "jacobianThirdCallMicros", "derivativesMicros",
                    "jacobianMicros", "finiteDifferencesMicros", "jacobianToDerivatives",
                    "jacobianThirdCallToDerivatives", "finiteDifferencesToDerivatives")) {
                assertTrue((Double) m.get(key) > 0, m.get("model") + " " + key + " " + m.get(key));
            }
            assertTrue((Integer) m.get("entries") >= (Integer) m.get("states"), m.toString());
            assertTrue((Integer) m.get("columnGroups") >= 1, m.toString());
        }
        assertEquals(3 * 100 - 2, models.get(1).get("entries"));
    }
}
