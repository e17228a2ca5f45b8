package dev.ferry.state.host;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;

/** A registered legacy host. */
public record Host(long id, @JsonUnwrapped HostSpec spec, Instant createdAt, Instant updatedAt) {

    public String name() {
        return spec.name();
    }
}
