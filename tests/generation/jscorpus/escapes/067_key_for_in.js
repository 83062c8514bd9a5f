// expect: computed_key 6
"use strict";
const hooks = {
  onStart(ctx) {
    for (const k in ctx) {
      GF.analytics.track("k", { v: ctx[k] });
    }
  },
};
