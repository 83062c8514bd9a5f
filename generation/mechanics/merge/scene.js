/* Merge (2048-like): slide every tile at once; equal tiles merge. Build the level's target tile.
 *
 * New tiles fall where GF.rng(level.seed) says, in the same order as the definition beside it (__init__.py)
 * (its validator plays levels through with exactly this rule).
 */
(function () {
  "use strict";

  var STONE = -1;
  var SLIDE_MS = 90;
  var POP_MS = 100;
  var BAND = 70;
  var REPEAT_MS = 220;

  /** Slide one line towards its start: [new values, points, moves: [{from, to, merged}]] (indexes in the line). */
  function slideLine(line) {
    var out = line.slice();
    var points = 0;
    var moves = [];
    var start = 0;
    for (var end = 0; end <= line.length; end++) {
      if (end < line.length && line[end] !== STONE) continue;
      var write = start;
      var last = -1; // index (in out) of the last tile written that may still merge
      for (var i = start; i < end; i++) {
        var v = line[i];
        if (v <= 0) continue;
        if (last >= 0 && out[last] === v) {
          out[last] = v * 2;
          points += v * 2;
          moves.push({ from: i, to: last, merged: true });
          last = -1;
        } else {
          out[write] = v;
          moves.push({ from: i, to: write, merged: false });
          last = write;
          write += 1;
        }
      }
      for (var k = write; k < end; k++) out[k] = 0;
      start = end + 1;
    }
    return [out, points, moves];
  }

  class MergeScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return level.seed;
    }

    buildLevel(level, index) {
      this.L = level;
      this.N = level.size;
      this.board = level.board.map(function (row) {
        return row.slice();
      });
      this.rand = this.gf.rng(MergeScene.rngSeed(level, index));
      var a = this.area;
      var gap = 10;
      var size = Math.min(a.w - 20, a.h - BAND - 20);
      var cell = Math.floor((size - gap * (this.N + 1)) / this.N);
      var total = cell * this.N + gap * (this.N + 1);
      this.g = { x0: Math.round(a.x + (a.w - total) / 2), y0: Math.round(a.y + BAND + (a.h - BAND - total) / 2), cell: cell, gap: gap };
      this.boardPanel(this.g.x0, this.g.y0, total, total);
      for (var r = 0; r < this.N; r++) {
        for (var c = 0; c < this.N; c++) {
          var p = this.pos(r, c);
          this.sprite(p.x, p.y, this.board[r][c] === STONE ? "stone" : "cell", cell, cell);
        }
      }
      this.tiles = [];
      for (var r2 = 0; r2 < this.N; r2++) {
        this.tiles.push([]);
        for (var c2 = 0; c2 < this.N; c2++) {
          var v = this.board[r2][c2];
          this.tiles[r2].push(v > 0 ? this.makeTile(r2, c2, v) : null);
        }
      }
      this.moves = 0;
      this.busy = false;
      this.queued = null;
      this.best = this.largest();
      this.lastMove = 0;
      this.now = 0;
      var goal = this.sprite(a.x + 30, a.y + BAND / 2, "goal", 40, 40);
      this.tweens.add({ targets: goal, angle: 360, duration: 6000, repeat: -1 });
      this.status = this.text(a.x + 60, a.y + BAND / 2, "", 24).setOrigin(0, 0.5);
      this.updateStatus();
    }

    pos(r, c) {
      var g = this.g;
      return { x: g.x0 + g.gap + c * (g.cell + g.gap) + g.cell / 2, y: g.y0 + g.gap + r * (g.cell + g.gap) + g.cell / 2 };
    }

    /** A tile: a coloured rounded square (sprite frames tile0..tile5, darker for bigger values) and its number. */
    makeTile(r, c, value) {
      var p = this.pos(r, c);
      var rank = Math.max(0, Math.round(Math.log2(value)) - 1);
      var img = this.add.image(0, 0, "sprites", "tile" + (rank % 6)).setDisplaySize(this.g.cell, this.g.cell);
      var shade = Math.min(0.45, Math.floor(rank / 6) * 0.25);
      var dim = this.add.rectangle(0, 0, this.g.cell * 0.9, this.g.cell * 0.9, 0x000000, shade);
      var digits = String(value).length;
      var size = Math.round(this.g.cell * (digits <= 2 ? 0.42 : digits === 3 ? 0.34 : 0.27));
      var label = this.add
        .text(0, 0, String(value), { fontFamily: "DejaVu Sans, Verdana, Arial, sans-serif", fontSize: size + "px", color: "#ffffff", fontStyle: "bold" })
        .setOrigin(0.5)
        .setStroke("#000000", Math.max(2, Math.round(size / 8)));
      var tile = this.add.container(p.x, p.y, [img, dim, label]);
      tile.value = value;
      this.layer.add(tile);
      return tile;
    }

    largest() {
      var best = 0;
      for (var r = 0; r < this.N; r++) for (var c = 0; c < this.N; c++) best = Math.max(best, this.board[r][c]);
      return best;
    }

    updateStatus() {
      var text = "Make " + this.L.target + "    Best " + this.largest();
      if (this.L.move_limit) text += "    Moves left " + (this.L.move_limit - this.moves);
      this.status.setText(text);
      var low = this.L.move_limit && this.L.move_limit - this.moves <= 10;
      this.status.setColor(low ? this.palette.css.danger : this.palette.css.text);
    }

    /** The cells of each line, listed from the side tiles slide towards. */
    lines(dir) {
      var out = [];
      for (var i = 0; i < this.N; i++) {
        var line = [];
        for (var j = 0; j < this.N; j++) {
          if (dir === "left") line.push([i, j]);
          else if (dir === "right") line.push([i, this.N - 1 - j]);
          else if (dir === "up") line.push([j, i]);
          else line.push([this.N - 1 - j, i]);
        }
        out.push(line);
      }
      return out;
    }

    canMove() {
      var dirs = ["up", "down", "left", "right"];
      for (var d = 0; d < dirs.length; d++) {
        var lines = this.lines(dirs[d]);
        for (var i = 0; i < lines.length; i++) {
          var self = this;
          var values = lines[i].map(function (cell) {
            return self.board[cell[0]][cell[1]];
          });
          var slid = slideLine(values)[0];
          for (var k = 0; k < values.length; k++) if (slid[k] !== values[k]) return true;
        }
      }
      return false;
    }

    move(dir) {
      if (this.busy) {
        this.queued = dir; // a quick second swipe plays as soon as the board settles
        return false;
      }
      var self = this;
      var points = 0;
      var changed = false;
      var merges = 0;
      var next = this.board.map(function (row) {
        return row.slice();
      });
      var nextTiles = this.tiles.map(function (row) {
        return row.slice();
      });
      var vanish = [];
      var grow = [];
      this.lines(dir).forEach(function (line) {
        var values = line.map(function (cell) {
          return self.board[cell[0]][cell[1]];
        });
        var result = slideLine(values);
        points += result[1];
        line.forEach(function (cell, k) {
          next[cell[0]][cell[1]] = result[0][k];
          if (result[0][k] !== values[k]) changed = true;
          if (values[k] !== STONE) nextTiles[cell[0]][cell[1]] = null;
        });
        result[2].forEach(function (m) {
          var from = line[m.from];
          var to = line[m.to];
          var tile = self.tiles[from[0]][from[1]];
          var p = self.pos(to[0], to[1]);
          self.tweens.add({ targets: tile, x: p.x, y: p.y, duration: SLIDE_MS });
          if (m.merged) {
            merges += 1;
            vanish.push(tile);
            grow.push(to);
          } else {
            nextTiles[to[0]][to[1]] = tile;
          }
        });
      });
      if (!changed) {
        this.gf.cue("blocked");
        return false;
      }
      this.busy = true;
      this.board = next;
      this.moves += 1;
      this.gf.cue(merges ? (this.largest() >= 128 && this.largest() > this.best ? "big_merge" : "merge") : "slide");
      this.time.delayedCall(SLIDE_MS + 10, function () {
        // Merged pairs become one new tile with the doubled value.
        vanish.forEach(function (tile) {
          tile.destroy();
        });
        grow.forEach(function (cell) {
          var old = nextTiles[cell[0]][cell[1]];
          if (old) old.destroy();
          var tile = self.makeTile(cell[0], cell[1], self.board[cell[0]][cell[1]]);
          tile.setScale(1.2);
          self.tweens.add({ targets: tile, scale: 1, duration: POP_MS });
          nextTiles[cell[0]][cell[1]] = tile;
        });
        self.tiles = nextTiles;
        self.afterMove(points, merges);
      });
      return true;
    }

    afterMove(points, merges) {
      var level = this.gf.levelIndex + 1;
      var largest = this.largest();
      if (points) {
        var center = this.pos(Math.floor(this.N / 2), Math.floor(this.N / 2));
        this.gf.addScore(points, center.x, center.y - this.g.cell);
        this.gf.track("tiles_merged", { level: level, merges: merges, largest: largest });
      }
      if (largest > this.best) {
        this.best = largest;
        if (largest >= 16) this.gf.track("new_best_tile", { level: level, value: largest });
      }
      this.updateStatus();
      if (largest >= this.L.target) {
        this.busy = false;
        if (this.L.move_limit) this.gf.addScore((this.L.move_limit - this.moves) * this.gf.base, GF.width / 2, this.area.y + 60);
        this.gf.completeLevel();
        return;
      }
      this.spawn();
      this.updateStatus();
      if (!this.canMove()) {
        this.gf.track("board_full", { level: level, largest: largest });
        this.gf.failLevel("No moves left!");
      } else if (this.L.move_limit && this.moves >= this.L.move_limit) {
        this.gf.track("out_of_moves", { level: level, largest: largest });
        this.gf.failLevel("Out of moves!");
      }
      this.busy = false;
      var queued = this.queued;
      this.queued = null;
      if (queued && this.gf.playing) this.move(queued);
    }

    /** A new 2 (or 4) on an empty cell: row-major empties, one draw for the cell, one for the value. */
    spawn() {
      var empties = [];
      for (var r = 0; r < this.N; r++) for (var c = 0; c < this.N; c++) if (this.board[r][c] === 0) empties.push([r, c]);
      if (!empties.length) return;
      var cell = empties[Math.floor(this.rand() * empties.length)];
      var value = this.rand() < this.params.four_chance ? 4 : 2;
      this.board[cell[0]][cell[1]] = value;
      var tile = this.makeTile(cell[0], cell[1], value);
      tile.setScale(0.2);
      this.tweens.add({ targets: tile, scale: 1, duration: POP_MS });
      this.tiles[cell[0]][cell[1]] = tile;
    }

    onAction(action) {
      if (action === "up" || action === "down" || action === "left" || action === "right") {
        this.move(action);
        this.lastMove = this.now;
      }
    }

    tick(time, dt) {
      this.now += dt;
      if (this.busy) return;
      var held = null;
      ["up", "down", "left", "right"].forEach(function (a) {
        if (this.gf.held(a)) held = a;
      }, this);
      if (held && this.now - this.lastMove >= REPEAT_MS) {
        this.lastMove = this.now;
        this.move(held);
      }
    }

    observe() {
      return {
        size: this.N,
        board: this.board,
        target: this.L.target,
        moves: this.moves,
        move_limit: this.L.move_limit,
        busy: this.busy,
        largest: this.largest(),
      };
    }
  }

  GF.registerMechanic("merge", MergeScene);
})();
