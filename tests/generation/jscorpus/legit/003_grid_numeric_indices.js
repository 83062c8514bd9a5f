"use strict";
const SIZE = 6;
const grid = Array.from({ length: SIZE }, () => new Array(SIZE).fill(0));
function mark(x, y) {
  const row = grid[y | 0];
  row[x | 0] = 1;
  return grid[y | 0][x | 0];
}
const hooks = {
  onLevelStart(ctx, level) {
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x += 1) grid[y][x] = (x + y + level) % 2;
    }
    const last = grid[grid.length - 1];
    mark(last.length - 1, 0);
  },
};
