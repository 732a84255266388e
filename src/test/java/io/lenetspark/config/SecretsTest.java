package io.lenetspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {

    @Test
    void namesThatLookSecretAreSecretInAnyCase() {
        for (String name : List.of("hadoop.\"fs.s3a.secret.key\"", "hadoop.\"fs.s3a.access.key\"",
                "hadoop.\"my.service.password\"", "db.PASSWD", "hadoop.\"fs.azure.sas.token\"",
                "hadoop.\"fs.gs.auth.credential.file\"", "api-key", "SecretName")) {
            assertTrue(Secrets.isSecret(name), name);
        }
    }

    @Test
    void otherNamesAreNot() {
        for (String name : List.of("training.epochs", "hadoop.\"fs.s3a.endpoint\"", "hadoop.\"fs.s3a.path.style.access\"",
                "output.dir", "seed")) {
            assertFalse(Secrets.isSecret(name), name);
        }
    }

    @Test
    void masksTheValueOfASecretNameOnly() {
        assertEquals(Secrets.MASK, Secrets.mask("fs.s3a.secret.key", "wJalrXUtnFEMI"));
        assertEquals("http://127.0.0.1:9000", Secrets.mask("fs.s3a.endpoint", "http://127.0.0.1:9000"));
    }

    @Test
    void masksEverySecretEntryOfAConfigAndKeepsTheRest() {
        Config masked = Secrets.mask(ConfigFactory.parseString("""
                hadoop { "fs.s3a.secret.key" = "wJalrXUtnFEMI", "fs.s3a.endpoint" = "http://s3:9000" }
                hadoop { fs.s3a.access.key = AKIDEXAMPLE }
                service { password = [1, 2] }
                training.epochs = 20
                """));

        assertEquals(Secrets.MASK, masked.getString("hadoop.\"fs.s3a.secret.key\""));
        assertEquals(Secrets.MASK, masked.getString("hadoop.fs.s3a.access.key"));
        assertEquals(Secrets.MASK, masked.getString("service.password"), "a list under a secret name");
        assertEquals("http://s3:9000", masked.getString("hadoop.\"fs.s3a.endpoint\""));
        assertEquals(20, masked.getInt("training.epochs"));
    }

    @Test
    void masksTheUserInfoOfAUri() {
        assertTrue(Secrets.hasUserInfo("s3a://AKID:SECRET@bucket/runs"));
        assertEquals("s3a://***@bucket/runs", Secrets.maskUserInfo("s3a://AKID:SECRET@bucket/runs"));
        assertFalse(Secrets.hasUserInfo("s3a://bucket/runs"));
        assertEquals("hdfs://namenode:8020/runs", Secrets.maskUserInfo("hdfs://namenode:8020/runs"));
    }

    @Test
    void masksTextQuotedInAParseErrorButNotSingleTokens() {
        assertEquals("String: 1: Key '" + Secrets.MASK + "' may not be followed by token: '}' (if you intended '}' to be",
                Secrets.maskQuotedText("String: 1: Key '\"fs.s3a.secret.key\" wJalrXUtnFEMI' may not be followed by "
                        + "token: '}' (if you intended '}' to be"));
        assertEquals("got wrong token: '' (End of input)", Secrets.maskQuotedText("got wrong token: '' (End of input)"));
    }
}
