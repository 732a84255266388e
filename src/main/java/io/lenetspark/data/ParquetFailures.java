package io.lenetspark.data;

/** scratch */
final class ParquetFailures {
    private ParquetFailures() {
    }

    static RuntimeException explain(Exception failure, MnistDataSet dataSet) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            System.err.println("CHAIN: " + t.getClass().getName() + " | "
                    + (t instanceof org.apache.spark.SparkThrowable st ? st.getErrorClass() : "-") + " | " + t.getMessage());
        }
        return failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
    }
}
