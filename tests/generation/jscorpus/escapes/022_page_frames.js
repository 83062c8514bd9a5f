// expect: page 5
"use strict";
const hooks = {
  onStart(ctx) {
    const other = frames[0];
  },
};
