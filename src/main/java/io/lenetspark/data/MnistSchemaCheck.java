package io.lenetspark.data;

import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Checks that a data set has the columns of {@link MnistSchema#SCHEMA} with exactly their types. */
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
            } else if (!actual.apply(expected.name()).dataType().equals(expected.dataType())) {
                problems.add(expected.name() + " is " + actual.apply(expected.name()).dataType().simpleString()
                        + ", expected " + expected.dataType().simpleString());
            }
        }
        if (!problems.isEmpty()) {
            throw dataSet.reject("has the wrong schema (" + String.join("; ", problems) + "): it is "
                    + actual.simpleString() + ", expected " + MnistSchema.SCHEMA.simpleString());
        }
    }
}
