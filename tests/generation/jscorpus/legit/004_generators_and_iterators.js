"use strict";
function* waves(count) {
  let speed = 1;
  for (let i = 0; i < count; i++) {
    yield { wave: i + 1, speed };
    speed *= 1.15;
  }
}
class Ring {
  constructor(items) { this.items = [...items]; }
  *[Symbol.iterator]() { yield* this.items; }
}
const hooks = {
  onLevelStart(ctx, level) {
    const plan = [...waves(3 + level)];
    for (const { wave, speed } of plan) ctx.log?.(`wave ${wave} at ${speed.toFixed(2)}`);
    for (const item of new Ring(["a", "b"])) console.log(item);
  },
};
