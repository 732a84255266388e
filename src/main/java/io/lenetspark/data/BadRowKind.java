package io.lenetspark.data;

import org.apache.spark.sql.Column;

import static io.lenetspark.data.MnistSchema.IMAGE;
import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;
import static io.lenetspark.data.MnistSchema.ID;
import static io.lenetspark.data.MnistSchema.LABEL;
import static io.lenetspark.data.MnistSchema.NUM_CLASSES;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

/**
 * The ways an MNIST row can be bad: the one definition both of the rows a split is refused for and
 * of the rows {@code lenet.data.on-bad-row = skip} leaves out. A row can be bad in several ways (a
 * null label and a null image); a null value is bad only as null, not also as out of range.
 */
public enum BadRowKind {
    NULL_ID("null_id", "a null id", col(ID).isNull()),
    NULL_LABEL("null_label", "a null label", col(LABEL).isNull()),
    LABEL_OUTSIDE_DIGITS("label_outside_0_" + (NUM_CLASSES - 1), "a label outside 0-" + (NUM_CLASSES - 1),
            col(LABEL).lt(0).or(col(LABEL).geq(NUM_CLASSES))),
    NULL_IMAGE("null_image", "a null image", col(IMAGE).isNull()),
    IMAGE_NOT_784_BYTES("image_not_" + IMAGE_BYTES + "_bytes", "an image that is not " + IMAGE_BYTES + " bytes",
            length(col(IMAGE)).notEqual(IMAGE_BYTES));

    private final String key;
    private final String description;
    private final Column isBad;

    BadRowKind(String key, String description, Column isBad) {
        this.key = key;
        this.description = description;
        this.isBad = isBad;
    }

    /** The kind's name in {@code data-check.json}. */
    public String key() {
        return key;
    }

    /** Completes "3 rows with ...". */
    public String description() {
        return description;
    }

    /** True for a row bad in this way; null (so neither) when the column it compares is null. */
    Column isBad() {
        return isBad;
    }

    /** True for a row bad in any way. Every column's null test is in it, so it is never null. */
    static Column anyBad() {
        Column any = null;
        for (BadRowKind kind : values()) {
            any = any == null ? kind.isBad() : any.or(kind.isBad());
        }
        return any;
    }
}
