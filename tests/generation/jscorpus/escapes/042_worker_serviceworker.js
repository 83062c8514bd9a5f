// expect: worker 5
"use strict";
const hooks = {
  onStart(ctx) {
    navigator.serviceWorker.register("/sw.js");
  },
};
