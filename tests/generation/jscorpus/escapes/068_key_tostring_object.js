// expect: computed_key 6
"use strict";
const hooks = {
  onStart(ctx) {
    const key = { toString: () => "constructor" };
    const F = ctx[key];
  },
};
