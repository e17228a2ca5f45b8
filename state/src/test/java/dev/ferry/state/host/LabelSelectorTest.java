package dev.ferry.state.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    static final Map<String, String> WEB_PAR1 = Map.of("tier", "web", "dc", "par1", "canary", "");

    @Test
    void equalityAndInequality() {
        assertThat(LabelSelector.parse("tier=web").matches(WEB_PAR1)).isTrue();
        assertThat(LabelSelector.parse("tier==web").matches(WEB_PAR1)).isTrue();
        assertThat(LabelSelector.parse("tier!=web").matches(WEB_PAR1)).isFalse();
        assertThat(LabelSelector.parse("env!=prod").matches(WEB_PAR1)).as("a missing label is not equal").isTrue();
    }

    @Test
    void setsAndExistence() {
        assertThat(LabelSelector.parse("dc in (par1, fra2)").matches(WEB_PAR1)).isTrue();
        assertThat(LabelSelector.parse("dc notin (par1)").matches(WEB_PAR1)).isFalse();
        assertThat(LabelSelector.parse("canary").matches(WEB_PAR1)).isTrue();
        assertThat(LabelSelector.parse("!legacy").matches(WEB_PAR1)).isTrue();
        assertThat(LabelSelector.parse("!canary").matches(WEB_PAR1)).isFalse();
    }

    @Test
    void requirementsAreAnded() {
        assertThat(LabelSelector.parse("tier=web, dc in (par1,fra2), !legacy").matches(WEB_PAR1)).isTrue();
        assertThat(LabelSelector.parse("tier=web,dc=fra2").matches(WEB_PAR1)).isFalse();
        assertThat(LabelSelector.parse("tier=web").requirements()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tier=", "=web", "tier in (web", "tier in web)", "a b", "tier=we;b", "tier in ((a))",
            "tier=$(id)"})
    void malformedSelectorsAreRefusedWithAMessage(String text) {
        if (text.equals("tier=")) {
            // An empty value is legal in Kubernetes: it matches labels set to "".
            assertThat(LabelSelector.parse(text).matches(Map.of("tier", ""))).isTrue();
            return;
        }
        assertThatThrownBy(() -> LabelSelector.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }
}
