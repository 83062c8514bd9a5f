// expect: storage 6
"use strict";
const hooks = {
  onGameOver(ctx, result) {
    const best = 0;
    localStorage.setItem("best", String(Math.max(best, result.score)));
  },
};
