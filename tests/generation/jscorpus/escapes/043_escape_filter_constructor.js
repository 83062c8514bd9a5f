// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const g = [].filter.constructor("return this")();
  },
};
