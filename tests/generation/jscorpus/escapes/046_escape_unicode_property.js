// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const F = ctx.\u0063onstructor;
  },
};
