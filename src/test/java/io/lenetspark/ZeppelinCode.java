package io.lenetspark;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zeppelin 0.10.1's own code for what happens to a {@code %spark.sql} paragraph before Spark sees
 * it: its simple-form parser and substitution ({@code org.apache.zeppelin.display.Input}), its
 * reading of a paragraph's saved forms ({@code GUI.fromJson}) and the SQL splitter of its Spark SQL
 * interpreter. The jar (zeppelin-interpreter-shaded, path in {@code lenet.test.zeppelin-jar}) is
 * loaded in a class loader of its own, because it bundles libraries the job also uses.
 */
final class ZeppelinCode {

    /** A dynamic form as Zeppelin reads it: its kind ({@code TextBox}, ...) and default value. */
    record Form(String type, Object defaultValue) {
    }

    private final Method extractSimpleQueryForm;
    private final Method getSimpleQuery;
    private final Method guiFromJson;
    private final Method guiForms;
    private final Method formDefault;
    private final Object sqlSplitter;
    private final Method splitSql;

    private ZeppelinCode(ClassLoader zeppelin) throws ReflectiveOperationException {
        Class<?> input = zeppelin.loadClass("org.apache.zeppelin.display.Input");
        Class<?> gui = zeppelin.loadClass("org.apache.zeppelin.display.GUI");
        Class<?> splitter = zeppelin.loadClass("org.apache.zeppelin.interpreter.util.SqlSplitter");
        extractSimpleQueryForm = input.getMethod("extractSimpleQueryForm", String.class, boolean.class);
        getSimpleQuery = input.getMethod("getSimpleQuery", Map.class, String.class, boolean.class);
        formDefault = input.getMethod("getDefaultValue");
        guiFromJson = gui.getMethod("fromJson", String.class);
        guiForms = gui.getMethod("getForms");
        sqlSplitter = splitter.getConstructor().newInstance();
        splitSql = splitter.getMethod("splitSql", String.class);
    }

    static ZeppelinCode load() throws ReflectiveOperationException, MalformedURLException {
        String jar = System.getProperty("lenet.test.zeppelin-jar", "");
        if (jar.isEmpty() || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("lenet.test.zeppelin-jar does not name Zeppelin's interpreter jar (\"" + jar
                    + "\"): run the test through Maven, which resolves it.");
        }
        ClassLoader isolated = new URLClassLoader(new URL[]{Path.of(jar).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        return new ZeppelinCode(isolated);
    }

    /** The paragraph-level forms ({@code ${name=default}}) a script declares, in order. */
    Map<String, Form> formsIn(String script) {
        return forms((Map<?, ?>) call(extractSimpleQueryForm, null, script, false));
    }

    /** The forms saved in a paragraph's {@code settings}, read as Zeppelin reads them. */
    Map<String, Form> savedForms(String settingsJson) {
        return forms((Map<?, ?>) call(guiForms, call(guiFromJson, null, settingsJson)));
    }

    /** The script with each paragraph form replaced by its value in {@code params}. */
    String substitute(String script, Map<String, Object> params) {
        return (String) call(getSimpleQuery, null, params, script, false);
    }

    /** The statements Zeppelin's Spark SQL interpreter runs one after the other. */
    @SuppressWarnings("unchecked")
    List<String> statements(String sql) {
        return (List<String>) call(splitSql, sqlSplitter, sql);
    }

    private Map<String, Form> forms(Map<?, ?> inputs) {
        Map<String, Form> forms = new LinkedHashMap<>();
        inputs.forEach((name, input) -> forms.put((String) name,
                new Form(input.getClass().getSimpleName(), call(formDefault, input))));
        return forms;
    }

    private static Object call(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Zeppelin's " + method.getName() + " failed", e.getCause());
        }
    }
}
