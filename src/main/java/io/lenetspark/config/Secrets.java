package io.lenetspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for what the jobs never write out, used by the saved {@code config.conf}, the log
 * lines and the error messages alike: the value of a setting whose name looks secret, and the
 * user-info part of a URI ({@code s3a://KEY:SECRET@bucket}).
 */
public final class Secrets {

    public static final String MASK = "********";

    /**
     * Names such as {@code fs.s3a.secret.key}, {@code fs.s3a.access.key}, {@code my.service.password}
     * or {@code fs.azure.sas.token}. Broad on purpose: masking a harmless value costs nothing.
     */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)secret|password|passwd|token|credential|key");
    /** Quoted text; a quoted token of one character or none is matched first, so quotes pair up. */
    private static final Pattern QUOTED_TEXT = Pattern.compile("'[^']?'|'[^']+'");
    /** A URI's user-info part: scheme, user info, the rest. */
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@(.*)$");

    private Secrets() {
    }

    /** Whether the value of the setting named {@code name} (a HOCON path, quoted parts included) is secret. */
    public static boolean isSecret(String name) {
        return SECRET_NAME.matcher(name).find();
    }

    /** {@code value} as text, or the mask if {@code name} is secret. */
    public static String mask(String name, Object value) {
        return isSecret(name) ? MASK : String.valueOf(value);
    }

    /** A copy of {@code config} with the value of every secret setting replaced by the mask. */
    public static Config mask(Config config) {
        Config masked = ConfigFactory.empty();
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            masked = masked.withValue(entry.getKey(), isSecret(entry.getKey())
                    ? ConfigValueFactory.fromAnyRef(MASK) : entry.getValue());
        }
        return masked;
    }

    /**
     * A HOCON parse error with the text it quotes masked: for a line such as
     * {@code "fs.s3a.secret.key" wJalr...} (no '='), Typesafe Config quotes the key and the value
     * together. Quoted single characters (the token it expected or met) stay.
     */
    public static String maskQuotedText(String parseError) {
        return QUOTED_TEXT.matcher(parseError).replaceAll(quoted -> quoted.group().length() <= 3
                ? Matcher.quoteReplacement(quoted.group()) : "'" + Matcher.quoteReplacement(MASK) + "'");
    }

    public static boolean hasUserInfo(String uri) {
        return USER_INFO.matcher(uri).matches();
    }

    /** {@code uri} with its user-info part, if any, masked: {@code s3a://***@bucket/path}. */
    public static String maskUserInfo(String uri) {
        Matcher userInfo = USER_INFO.matcher(uri);
        return userInfo.matches() ? userInfo.group(1) + "***@" + userInfo.group(3) : uri;
    }
}
