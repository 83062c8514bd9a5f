// expect: code_from_string 6
"use strict";
class Clock { tick() { this.n = 1; } }
const clock = new Clock();
const hooks = {
  onStart(ctx) { setTimeout(clock.tick, 100); },
};
