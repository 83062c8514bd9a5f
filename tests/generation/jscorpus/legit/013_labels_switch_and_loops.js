"use strict";
function firstGap(rows) {
  outer: for (let y = 0; y < rows.length; y++) {
    let x = 0;
    while (x < rows[y].length) {
      if (rows[y][x] === 0) break outer;
      x++;
    }
    do { x--; } while (x > 0);
  }
  return -1;
}
const hooks = {
  onInput(ctx, input) {
    switch (input.action) {
      case "left": { ctx.dx = -1; break; }
      case "right": ctx.dx = 1; break;
      default: ctx.dx = 0;
    }
    firstGap([[1, 0], [1, 1]]);
  },
};
