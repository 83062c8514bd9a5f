// expect: page 5
"use strict";
const hooks = {
  onStart(ctx) {
    const doc = ctx.scene.game.canvas.ownerDocument;
  },
};
