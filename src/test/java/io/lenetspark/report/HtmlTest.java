package io.lenetspark.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HtmlTest {

    @Test
    void escapesEveryCharacterThatCouldEndTextOrAnAttribute() {
        assertEquals("&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;",
                Html.escape("<script>alert(\"x\" & 'y')</script>"));
    }

    @Test
    void leavesOrdinaryTextAlone() {
        assertEquals("run 20261128-014753: 99.03% (é)", Html.escape("run 20261128-014753: 99.03% (é)"));
    }
}
