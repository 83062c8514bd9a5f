// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    ({}).__proto__.polluted = true;
  },
};
