// expect: worker 4
"use strict";
const hooks = {
  onStart(ctx) { new SharedWorker("w.js"); },
};
