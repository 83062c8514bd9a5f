// expect: page 5
"use strict";
const hooks = {
  onLevelEnd(ctx, result) {
    parent.postMessage({ type: "analytics", name: "level_end", score: 1e9 }, "*");
  },
};
