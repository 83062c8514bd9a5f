// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    Object.defineProperty(ctx, "score", { get: () => 1e9 });
  },
};
