"use strict";
const lanes = [0, 120, 240];
let current = 1;
const hooks = {
  onInput(ctx, input) {
    if (input.action === "left") current = Math.max(0, current - 1);
    if (input.action === "right") current = Math.min(lanes.length - 1, current + 1);
    const pick = current > 1 ? 2 : current;
    const jitter = Math.floor(Math.random() * lanes.length);
    const choice = Number.isInteger(jitter) ? lanes[jitter] : lanes[0];
    ctx.x = lanes[current] + lanes[pick] + choice + lanes[+input.index || 0];
    const steps = { up: 0, down: 1 };
    ctx.y = steps["down"] + lanes[typeof input.index === "number" ? 1 : 0];
  },
};
