// expect: page 5
"use strict";
const hooks = {
  onScore(ctx, points) {
    self.postMessage({ type: "fake_purchase" }, "*");
  },
};
