package io.lenetspark;

import org.apache.spark.sql.SparkSession;
import scala.Function1;
import scala.reflect.api.JavaUniverse;
import scala.tools.reflect.ToolBox;

/**
 * Runs a {@code %spark} paragraph's Scala code the way Zeppelin's Spark interpreter does: compiled
 * by the Scala compiler of Spark's Scala version against this JVM's classes, with {@code spark}
 * bound to the session, then run.
 */
final class ZeppelinScala {

    @SuppressWarnings("rawtypes")
    private final ToolBox compiler;

    ZeppelinScala() {
        JavaUniverse universe = (JavaUniverse) scala.reflect.runtime.package$.MODULE$.universe();
        JavaUniverse.JavaMirror mirror = universe.runtimeMirror(getClass().getClassLoader());
        compiler = scala.tools.reflect.package$.MODULE$.ToolBox(mirror)
                .mkToolBox(scala.tools.reflect.package$.MODULE$.mkSilentFrontEnd(), "");
    }

    /** Compiles {@code code} (a paragraph's text without its interpreter line) and runs it with {@code spark}. */
    @SuppressWarnings("unchecked")
    void run(String code, SparkSession spark) {
        // The compiler's own types (its Tree) have no Java spelling; they only pass through here.
        Object function = compiler.eval(compiler.parse(
                "(spark: org.apache.spark.sql.SparkSession) => {\n" + code + "\n}"));
        ((Function1<SparkSession, Object>) function).apply(spark);
    }
}
