package io.lenetspark;

import io.lenetspark.job.JobLauncher;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of {@code io.lenetspark} build on each other in one order: a package uses only the
 * packages before it, so every arrow between them points one way, and a package can be read,
 * changed and tested knowing only what comes before it. Checked on the compiled classes, whose
 * constant pools name every class they use (an unused import leaves no trace there; a constant
 * inlined from another class neither).
 */
class PackageLayersTest {

    /** Bottom first; the default-package mains ({@code LeNetJob}, {@code PrepareMnist}) stand above them all. */
    static final List<String> ORDER = List.of(
            // The failures that explain themselves and their exit codes: every package may throw them.
            "failure",
            // SHA-256, the Spark UI labels and the JSON convention, which know nothing of MNIST or LeNet-5.
            "util",
            "config",
            // The MNIST Parquet contract: its schema, and reading and checking it for training.
            "data",
            // Writes that contract from the IDX files; only the job uses it, so it sits right above data.
            "prepare",
            // The network and the minibatches it takes, which training and evaluation both build.
            "model",
            "training",
            "evaluation",
            // The run folder: what training and evaluation produced, and the checkpoints.
            "output",
            // Reads a run folder back into report.html.
            "report",
            // Puts a completed run's model to use: batch scoring and SQL functions.
            "scoring",
            // The jobs: each wires the packages below into the phases of a run.
            "job");

    private static final String ROOT = "io/lenetspark/";
    private static final Pattern CLASS_NAME = Pattern.compile(Pattern.quote(ROOT) + "((?:[a-z0-9_]+/)*)[A-Z][\\w$]*");

    @Test
    void everyPackageUsesOnlyThePackagesBeforeIt() throws IOException {
        List<String> backwards = new ArrayList<>();
        for (Path classFile : classFiles()) {
            String user = className(classFile);
            String userPackage = packageOf(user);
            for (String used : new TreeSet<>(classesUsedBy(Files.readAllBytes(classFile)))) {
                String usedPackage = packageOf(used);
                if (ORDER.contains(userPackage) && ORDER.indexOf(usedPackage) > ORDER.indexOf(userPackage)) {
                    backwards.add(user + " uses " + used + ": " + userPackage + " comes before " + usedPackage);
                }
            }
        }
        assertTrue(backwards.isEmpty(), () -> "Uses of a later package, in the order " + String.join(" < ", ORDER)
                + ":\n  " + String.join("\n  ", backwards)
                + "\nMove what both need down to where both see it, or pass it in from above.");
    }

    @Test
    void everyPackageHasItsPlaceInTheOrder() throws IOException {
        Set<String> packages = classFiles().stream().map(file -> packageOf(className(file)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(ORDER), packages,
                "Packages under io.lenetspark, each to be placed in ORDER (a class directly in io.lenetspark shows as \"\")");
    }

    @Test
    void readsTheClassesAClassFileUses() throws IOException {
        byte[] launcher;
        try (var in = JobLauncher.class.getResourceAsStream("JobLauncher.class")) {
            launcher = in.readAllBytes();
        }
        Set<String> used = classesUsedBy(launcher);
        assertTrue(used.contains("io.lenetspark.failure.ExitCode"), "a field's and a method's type: " + used);
        assertTrue(used.contains("io.lenetspark.config.LeNetSettings"), "a local variable's type: " + used);
        assertTrue(used.contains("io.lenetspark.failure.InvalidInputException"), "a caught exception: " + used);
    }

    private static List<Path> classFiles() throws IOException {
        Path classes = compiledClasses();
        try (Stream<Path> files = Files.walk(classes.resolve(ROOT))) {
            return files.filter(file -> file.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static Path compiledClasses() {
        try {
            Path classes = Path.of(JobLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(Files.isDirectory(classes), "the main classes are read from a folder, not " + classes);
            return classes;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String className(Path classFile) {
        String relative = compiledClasses().relativize(classFile).toString().replace('\\', '/');
        return relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
    }

    /** "data" for {@code io.lenetspark.data.MnistParquet}; "" for a class directly in {@code io.lenetspark}. */
    private static String packageOf(String className) {
        String inRoot = className.substring(ROOT.length());
        return inRoot.contains(".") ? inRoot.substring(0, inRoot.lastIndexOf('.')) : "";
    }

    /**
     * The {@code io.lenetspark} classes a class file names in its constant pool: in class entries and
     * in the descriptors and signatures of fields, methods and calls. String literals are left out.
     */
    static Set<String> classesUsedBy(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        TreeMap<Integer, String> texts = new TreeMap<>();
        Set<Integer> stringLiterals = new HashSet<>();
        for (int index = 1; index < count; index++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> texts.put(index, in.readUTF());
                case 8 -> stringLiterals.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    index++;  // a long or double takes two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + index);
            }
        }
        Set<String> used = new HashSet<>();
        texts.forEach((index, text) -> {
            if (!stringLiterals.contains(index)) {
                Matcher name = CLASS_NAME.matcher(text);
                while (name.find()) {
                    used.add(name.group().replace('/', '.'));
                }
            }
        });
        return used;
    }
}
