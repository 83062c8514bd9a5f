// expect: code_from_string 5
"use strict";
const hooks = {
  onStart(ctx) {
    \u0065val("1");
  },
};
