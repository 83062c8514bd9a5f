// expect: builtin 5
"use strict";
const hooks = {
  onStart(ctx) {
    delete Math.random;
  },
};
