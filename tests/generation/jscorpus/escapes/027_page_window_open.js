// expect: page 4
"use strict";
const hooks = {
  onGameOver(ctx) { open("https://evil.example"); },
};
