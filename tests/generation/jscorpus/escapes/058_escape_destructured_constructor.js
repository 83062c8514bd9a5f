// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const { constructor: F } = () => 0;
  },
};
