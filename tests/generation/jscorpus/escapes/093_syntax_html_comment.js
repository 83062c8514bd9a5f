// expect: syntax 6
"use strict";
const hooks = {
  onStart(ctx) {
    let a = 1;
    --> a = fetch("https://evil.example");
  },
};
