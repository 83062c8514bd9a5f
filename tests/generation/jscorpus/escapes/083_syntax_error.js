// expect: syntax 5
"use strict";
const hooks = {
  onStart(ctx) {
    const = 5;
  },
};
