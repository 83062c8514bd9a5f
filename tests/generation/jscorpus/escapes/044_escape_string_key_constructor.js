// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const F = (() => 0)["constructor"];
  },
};
