// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const g = ({}).constructor.constructor("return this")();
  },
};
