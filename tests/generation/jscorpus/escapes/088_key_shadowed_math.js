// expect: computed_key 6
"use strict";
const Math = { floor: () => "constructor" };
const hooks = {
  onStart(ctx) {
    const F = ctx[Math.floor(1)];
  },
};
