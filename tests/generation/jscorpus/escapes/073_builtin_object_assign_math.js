// expect: builtin 5
"use strict";
const hooks = {
  onStart(ctx) {
    Object.assign(Math, { random: () => 0 });
  },
};
