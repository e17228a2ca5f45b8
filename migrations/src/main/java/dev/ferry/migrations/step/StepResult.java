package dev.ferry.migrations.step;

import java.time.Duration;
import java.util.Objects;

/** How a step's run ended. Build them with the static factories. */
public sealed interface StepResult {

    /** The phase is finished; {@code output} (a record, written as JSON) is kept for later phases. */
    record Done(Object output, String summary) implements StepResult {
        public Done {
            Objects.requireNonNull(output, "output");
            summary = summary == null ? "" : summary;
        }
    }

    /** Work is under way elsewhere: call again after {@code after}. */
    record Wait(Duration after, String reason) implements StepResult {
        public Wait {
            if (after.isNegative()) {
                throw new IllegalArgumentException("wait must not be negative");
            }
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Something failed that may work on another attempt; the engine's retry policy decides when. */
    record Retry(String error) implements StepResult {
        public Retry {
            Objects.requireNonNull(error, "error");
        }
    }

    /** Something failed that another attempt will not fix; the migration stops until an operator acts. */
    record Fail(String error) implements StepResult {
        public Fail {
            Objects.requireNonNull(error, "error");
        }
    }

    static StepResult done(Object output, String summary) {
        return new Done(output, summary);
    }

    static StepResult waitFor(Duration after, String reason) {
        return new Wait(after, reason);
    }

    static StepResult retry(String error) {
        return new Retry(error);
    }

    static StepResult fail(String error) {
        return new Fail(error);
    }
}
