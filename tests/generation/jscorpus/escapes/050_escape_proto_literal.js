// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const o = { __proto__: ctx };
  },
};
