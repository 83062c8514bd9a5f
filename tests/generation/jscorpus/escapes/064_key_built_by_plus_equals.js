// expect: computed_key 8
"use strict";
const hooks = {
  onStart(ctx) {
    let k = "con";
    k += "struc";
    k += "tor";
    const F = ctx[k];
  },
};
