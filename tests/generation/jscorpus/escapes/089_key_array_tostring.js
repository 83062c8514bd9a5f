// expect: computed_key 5
"use strict";
const hooks = {
  onStart(ctx) {
    const F = ctx[["constructor"]];
  },
};
