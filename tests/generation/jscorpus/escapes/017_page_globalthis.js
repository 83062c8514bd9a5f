// expect: page 6
"use strict";
const hooks = {
  onStart(ctx) {
    const g =
      globalThis;
  },
};
