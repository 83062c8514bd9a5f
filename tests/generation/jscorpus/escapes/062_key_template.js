// expect: computed_key 6
"use strict";
const hooks = {
  onStart(ctx) {
    const part = "con";
    const F = ctx[`${part}structor`];
  },
};
