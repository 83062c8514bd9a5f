"use strict";
const DEFAULTS = Object.freeze({ lives: 3, bonus: 10, labels: ["a", "b"] });
const merge = (base, extra = {}) => ({ ...base, ...extra });
const hooks = {
  onStart(ctx) {
    const { lives, bonus = 5, labels: [first, ...others] = [] } = merge(DEFAULTS, ctx.options);
    const [a = 1, , c] = [lives, bonus, first];
    ctx.state = { lives, bonus, first, others, a, c };
  },
};
