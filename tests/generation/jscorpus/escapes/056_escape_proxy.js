// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    ctx.score = new Proxy({}, { get: () => 1e9 });
  },
};
