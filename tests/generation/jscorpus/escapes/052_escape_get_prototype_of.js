// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const FP = Object.getPrototypeOf(() => 0);
  },
};
