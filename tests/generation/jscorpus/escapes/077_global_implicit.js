// expect: unknown_global 5
"use strict";
const hooks = {
  onStart(ctx) {
    leaked = ctx;
  },
};
