// expect: page 5
"use strict";
const hooks = {
  onStart(ctx) {
    document.title = "pwned";
  },
};
