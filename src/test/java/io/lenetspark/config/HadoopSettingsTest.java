package io.lenetspark.config;

import com.typesafe.config.ConfigFactory;
import io.lenetspark.failure.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HadoopSettingsTest {

    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG";

    @TempDir
    Path dir;

    private HadoopSettings fromFile(String hocon) throws IOException {
        Path file = Files.writeString(dir.resolve("job.conf"), hocon);
        return LeNetSettings.from(ConfigLoader.load(List.of("--config", file.toString()))).hadoop();
    }

    private String rejectionOfFile(String hocon) throws IOException {
        return assertThrows(InvalidInputException.class, () -> fromFile(hocon)).getMessage();
    }

    @Test
    void emptyByDefault() {
        assertEquals(Map.of(), LeNetSettings.from(ConfigLoader.load(List.of())).hadoop().properties());
    }

    @Test
    void readsQuotedAndNestedNamesWithStringNumberAndBooleanValues() throws IOException {
        HadoopSettings hadoop = fromFile("""
                lenet.hadoop {
                  "fs.s3a.endpoint" = "http://127.0.0.1:9000"
                  "fs.s3a.endpoint.region" = us-east-1
                  "fs.s3a.path.style.access" = true
                  "fs.s3a.connection.maximum" = 64
                  fs.s3a.secret.key = "%s"
                }
                """.formatted(SECRET));

        assertEquals(Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000", "fs.s3a.endpoint.region", "us-east-1",
                "fs.s3a.path.style.access", "true", "fs.s3a.connection.maximum", "64", "fs.s3a.secret.key", SECRET),
                hadoop.properties());
    }

    @Test
    void theExampleS3ConfigIsValid() {
        HadoopSettings hadoop = LeNetSettings.from(ConfigLoader.load(List.of("--config", "conf/s3.conf.example"))).hadoop();
        assertEquals("<SECRET_KEY>", hadoop.properties().get("fs.s3a.secret.key"));
        assertEquals("true", hadoop.properties().get("fs.s3a.path.style.access"));
    }

    @Test
    void acceptsAnyNameUnderHadoopAsAJobArgument() {
        HadoopSettings hadoop = LeNetSettings.from(ConfigLoader.load(List.of("hadoop.\"fs.s3a.endpoint\"=http://s3:9000")))
                .hadoop();
        assertEquals(Map.of("fs.s3a.endpoint", "http://s3:9000"), hadoop.properties());
    }

    @Test
    void stillRejectsUnknownKeysElsewhere() {
        assertEquals("Unknown setting lenet.hadoopp.x. Check the spelling against reference.conf.",
                assertThrows(InvalidInputException.class,
                        () -> ConfigLoader.load(List.of("hadoopp.x=1"))).getMessage());
    }

    @Test
    void rejectsAListNamingTheKeyWithoutItsValue() throws IOException {
        String message = rejectionOfFile("lenet.hadoop { \"fs.s3a.secret.key\" = [\"%s\"] }".formatted(SECRET));
        assertEquals("Invalid configuration. Cannot set lenet.hadoop.\"fs.s3a.secret.key\" to a list: properties are "
                + "strings, numbers or booleans. " + ConfigLoader.HOW_TO_OVERRIDE, message);
    }

    @Test
    void aSyntaxErrorNamesItsLineWithoutQuotingTheSecret() throws IOException {
        String message = rejectionOfFile("lenet.hadoop {\n  \"fs.s3a.secret.key\" %s\n}\n".formatted(SECRET));
        assertFalse(message.contains(SECRET), message);
        assertTrue(message.startsWith("Config file " + dir.resolve("job.conf") + " is not valid HOCON: "), message);
        assertTrue(message.contains("job.conf: 3: Key '" + Secrets.MASK + "' may not be followed by token: '}' (if you "
                + "intended '}' to be part of a key or string value"), message);
    }

    @Test
    void rejectsANull() throws IOException {
        assertEquals("Invalid configuration. Cannot set lenet.hadoop.\"fs.s3a.endpoint\" to a null: properties are "
                + "strings, numbers or booleans. " + ConfigLoader.HOW_TO_OVERRIDE,
                rejectionOfFile("lenet.hadoop { \"fs.s3a.endpoint\" = null }"));
    }

    @Test
    void rejectsAHadoopBlockThatIsNotABlock() {
        String message = assertThrows(InvalidInputException.class,
                () -> LeNetSettings.from(ConfigLoader.load(List.of("hadoop=yes")))).getMessage();
        assertEquals("Invalid configuration. Cannot set lenet.hadoop to \"yes\": expected a block of name = value "
                + "properties. " + ConfigLoader.HOW_TO_OVERRIDE, message);
    }

    @Test
    void appliesThePropertiesToAHadoopConfiguration() {
        Configuration conf = new Configuration(false);
        new HadoopSettings(Map.of("fs.s3a.endpoint", "http://s3:9000", "fs.s3a.secret.key", SECRET)).applyTo(conf);

        assertEquals("http://s3:9000", conf.get("fs.s3a.endpoint"));
        assertEquals(SECRET, conf.get("fs.s3a.secret.key"));
    }

    @Test
    void leavesOutAMaskedValueReadBackFromASavedConfig() {
        Configuration conf = new Configuration(false);
        conf.set("fs.s3a.secret.key", SECRET);
        new HadoopSettings(Map.of("fs.s3a.secret.key", Secrets.MASK)).applyTo(conf);

        assertEquals(SECRET, conf.get("fs.s3a.secret.key"));
    }

    @Test
    void textMasksSecretValues() throws IOException {
        LeNetSettings settings = LeNetSettings.from(ConfigLoader.load(List.of("--config",
                Files.writeString(dir.resolve("s.conf"), "lenet.hadoop { \"my.service.password\" = \"%s\" }"
                        .formatted(SECRET)).toString())));

        assertFalse(settings.toString().contains(SECRET), settings.toString());
        assertTrue(settings.hadoop().toString().contains("my.service.password=" + Secrets.MASK), settings.hadoop().toString());
        assertFalse(settings.hadoop().toString().contains(SECRET));
    }

    @Test
    void aRejectedValueOfASecretNameIsMasked() {
        SettingsReader reader = new SettingsReader(ConfigFactory.parseString("service.password = \"%s\"".formatted(SECRET)));
        reader.intAtLeast("service.password", 1);

        String message = assertThrows(InvalidInputException.class, reader::throwIfInvalid).getMessage();
        assertTrue(message.startsWith("Invalid configuration. Cannot set service.password to " + Secrets.MASK
                + ": expected a whole number."), message);
    }
}
