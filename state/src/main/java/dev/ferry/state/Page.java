package dev.ferry.state;

import java.util.List;

/** One page of a listing, with the total number of matching items. */
public record Page<T>(List<T> items, long total, int offset, int limit) {
}
