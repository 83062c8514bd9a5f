// expect: computed_key 7
"use strict";
let index = 0;
const hooks = {
  onStart(ctx) {
    index = ctx.key;
    return ctx[index];
  },
};
