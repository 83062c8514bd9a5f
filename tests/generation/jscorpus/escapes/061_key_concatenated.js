// expect: computed_key 6
"use strict";
const hooks = {
  onStart(ctx) {
    const fn = () => 0;
    const F = fn["constr" + "uctor"];
  },
};
