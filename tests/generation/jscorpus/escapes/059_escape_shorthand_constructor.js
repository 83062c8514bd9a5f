// expect: escape 6
"use strict";
const hooks = {
  onStart(ctx) {
    const fn = () => 0;
    const { constructor } = fn;
  },
};
