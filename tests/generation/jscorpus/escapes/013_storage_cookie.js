// expect: storage 5
"use strict";
const hooks = {
  onStart(ctx) {
    GF.analytics.track("c", { c: document.cookie });
  },
};
