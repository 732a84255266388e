package io.lenetspark.data;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks that a data set has the columns of {@link MnistSchema#SCHEMA}, each with its type or one
 * of the integer types {@link MnistSchema#ALSO_ACCEPTED} lists for it.
 */
final class MnistSchemaCheck {

    private MnistSchemaCheck() {
    }

    /** Extra columns are allowed: the reader selects only the MNIST ones. */
    static void require(StructType actual, MnistDataSet dataSet) {
        List<String> problems = new ArrayList<>();
        List<String> names = Arrays.asList(actual.fieldNames());
        for (StructField expected : MnistSchema.SCHEMA.fields()) {
            if (!names.contains(expected.name())) {
                problems.add("no column " + expected.name());
                continue;
            }
            DataType type = actual.apply(expected.name()).dataType();
            List<DataType> accepted = accepted(expected);
            if (!accepted.contains(type)) {
                problems.add(expected.name() + " is " + type.simpleString() + ", expected " + oneOf(accepted));
            }
        }
        if (!problems.isEmpty()) {
            throw dataSet.reject("has the wrong schema (" + String.join("; ", problems) + "): it is "
                    + actual.simpleString() + ", expected " + MnistSchema.SCHEMA.simpleString());
        }
    }

    /** "int", "int or bigint", "int, tinyint or bigint". */
    private static String oneOf(List<DataType> types) {
        List<String> names = types.stream().map(DataType::simpleString).toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static List<DataType> accepted(StructField column) {
        return Stream.concat(Stream.of(column.dataType()),
                MnistSchema.ALSO_ACCEPTED.getOrDefault(column.name(), List.of()).stream()).toList();
    }
}
