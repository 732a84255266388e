package io.lenetspark.output;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOutputsTest {

    @Test
    void savedConfigMasksSecretsAndKeepsTheRest() {
        String rendered = RunOutputs.render(ConfigFactory.parseString(
                "s3.secret-key = \"AKIAEXAMPLESECRET\"\nstore.password = hunter2\ntraining.epochs = 20"));
        assertFalse(rendered.contains("AKIAEXAMPLESECRET"), rendered);
        assertFalse(rendered.contains("hunter2"), rendered);
        assertTrue(rendered.contains(RunOutputs.MASK), rendered);
        assertTrue(rendered.contains("epochs=20") || rendered.contains("epochs = 20"), rendered);
    }
}
