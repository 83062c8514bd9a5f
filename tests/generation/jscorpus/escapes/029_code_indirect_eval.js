// expect: code_from_string 5
"use strict";
const hooks = {
  onStart(ctx) {
    (0, eval)("this")
  },
};
