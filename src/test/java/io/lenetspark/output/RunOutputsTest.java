package io.lenetspark.output;

import com.typesafe.config.ConfigFactory;
import io.lenetspark.config.Secrets;
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
        assertTrue(rendered.contains(Secrets.MASK), rendered);
        assertTrue(rendered.contains("epochs=20") || rendered.contains("epochs = 20"), rendered);
    }

    @Test
    void savedConfigMasksQuotedHadoopNames() {
        String rendered = RunOutputs.render(ConfigFactory.parseString("""
                hadoop { "fs.s3a.secret.key" = "wJalrXUtnFEMI", "my.service.password" = "hunter2", \
                "fs.s3a.endpoint" = "http://127.0.0.1:9000" }"""));

        assertFalse(rendered.contains("wJalrXUtnFEMI") || rendered.contains("hunter2"), rendered);
        assertTrue(rendered.contains("\"fs.s3a.secret.key\"=\"" + Secrets.MASK + "\"")
                || rendered.contains("\"fs.s3a.secret.key\" = \"" + Secrets.MASK + "\""), rendered);
        assertTrue(rendered.contains("http://127.0.0.1:9000"), rendered);
    }
}
