"use strict";
function start(ctx) {
  ctx.speed = 1;
}
const score = (ctx, points) => points * (ctx.speed ?? 1);
const hooks = {
  onStart: start,
  onScore: score,
  onGameOver: function (ctx, result) {
    GF.analytics.track("custom_game_over", { score: result.score, speed: ctx.speed });
  },
};
