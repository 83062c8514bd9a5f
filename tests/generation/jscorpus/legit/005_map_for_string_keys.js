"use strict";
const counts = new Map();
const seen = new Set();
const hooks = {
  onInput(ctx, input) {
    const action = String(input.action);
    counts.set(action, (counts.get(action) ?? 0) + 1);
    seen.add(action);
  },
  onLevelEnd(ctx, result) {
    const summary = Object.fromEntries(counts);
    GF.analytics.track("inputs", { kinds: seen.size, ...summary });
    counts.clear();
  },
};
