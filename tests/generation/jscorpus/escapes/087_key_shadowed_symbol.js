// expect: computed_key 6
"use strict";
const Symbol = { iterator: "constructor" };
const hooks = {
  onStart(ctx) {
    const F = ctx[Symbol.iterator];
  },
};
