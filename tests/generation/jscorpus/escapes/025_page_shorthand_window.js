// expect: page 5
"use strict";
const hooks = {
  onStart(ctx) {
    ctx.extra = { window };
  },
};
