// expect: builtin 5
"use strict";
const hooks = {
  onStart(ctx) {
    Error.prepareStackTrace = (e, frames) => frames;
  },
};
