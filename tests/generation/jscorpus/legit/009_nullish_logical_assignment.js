"use strict";
const state = { best: null, streak: 0, flags: {} };
const hooks = {
  onScore(ctx, points) {
    state.best ??= 0;
    state.best = Math.max(state.best, points);
    state.streak ||= 1;
    state.flags.hot &&= points > 10;
    state.streak **= 1;
    return points + (ctx?.bonus?.value ?? 0) + (ctx.multiplier?.() ?? 0);
  },
};
