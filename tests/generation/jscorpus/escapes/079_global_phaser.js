// expect: page 5
"use strict";
const hooks = {
  onStart(ctx) {
    Phaser.GAMES[0].destroy(true);
  },
};
