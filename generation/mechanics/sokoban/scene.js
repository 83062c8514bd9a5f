/* Sokoban: push every crate onto a target within the move limit; crates cannot be pulled. */
(function () {
  "use strict";

  var DIRS = { up: [0, -1], down: [0, 1], left: [-1, 0], right: [1, 0] };
  var REPEAT_MS = 170; // a held direction keeps walking, a little slower than a tap
  var TWEEN_MS = 90;
  var BAND = 64; // status line and undo button above the board

  class SokobanScene extends GF.MechanicScene {
    buildLevel(level, index) {
      var grid = level.grid;
      this.L = level;
      this.rows = grid.length;
      this.cols = grid[0].length;
      // One ring of wall around the level: the grid's outside is wall.
      var a = this.area;
      var cell = Math.floor(Math.min(a.w / (this.cols + 2), (a.h - BAND) / (this.rows + 2)));
      cell = Math.min(cell, 72);
      var x0 = Math.round(a.x + (a.w - cell * (this.cols + 2)) / 2) + cell;
      var y0 = Math.round(a.y + BAND + (a.h - BAND - cell * (this.rows + 2)) / 2) + cell;
      this.g = { x0: x0, y0: y0, cell: cell };
      this.boardPanel(x0 - cell, y0 - cell, cell * (this.cols + 2), cell * (this.rows + 2));
      this.walls = [];
      this.goals = {};
      this.crates = [];
      for (var y = -1; y <= this.rows; y++) {
        for (var x = -1; x <= this.cols; x++) {
          var ch = y >= 0 && y < this.rows && x >= 0 && x < this.cols ? grid[y][x] : "#";
          var c = this.center(x, y);
          if (ch === "#") {
            if (this.nearFloor(x, y)) this.sprite(c.x, c.y, "wall", cell, cell);
            continue;
          }
          this.sprite(c.x, c.y, "floor", cell, cell);
          if (ch === "." || ch === "*" || ch === "+") {
            this.goals[x + "," + y] = true;
            this.sprite(c.x, c.y, "target", cell * 0.8, cell * 0.8);
          }
        }
      }
      for (var yy = 0; yy < this.rows; yy++) {
        this.walls.push([]);
        for (var xx = 0; xx < this.cols; xx++) {
          var t = grid[yy][xx];
          this.walls[yy].push(t === "#");
          if (t === "$" || t === "*") this.crates.push({ x: xx, y: yy, img: null });
          if (t === "@" || t === "+") {
            this.px = xx;
            this.py = yy;
          }
        }
      }
      var self = this;
      this.crates.forEach(function (crate) {
        var p = self.center(crate.x, crate.y);
        crate.img = self.sprite(p.x, p.y, self.onGoal(crate.x, crate.y) ? "crate_done" : "crate", cell * 0.86, cell * 0.86);
      });
      var s = this.center(this.px, this.py);
      this.player = this.sprite(s.x, s.y, "player", cell * 0.8, cell * 0.8);
      this.alive = this.aliveCells();
      this.moves = 0;
      this.history = [];
      this.bestPlaced = this.placedCount();
      this.lastMove = 0;
      this.now = 0;
      this.warned = false;
      this.status = this.text(a.x + 12, a.y + BAND / 2, "", 22).setOrigin(0, 0.5);
      this.undoBox = null;
      if (this.params.undo) {
        var bx = a.x + a.w - 70;
        var by = a.y + BAND / 2;
        this.sprite(bx, by, "undo", 120, 48);
        this.text(bx, by, "\u21b6 Undo", 20, this.palette.css.background);
        this.undoBox = { x: bx - 60, y: by - 24, w: 120, h: 48 };
      }
      this.updateStatus();
      if (!this.keysBound) {
        this.keysBound = true;
        this.input.keyboard.on("keydown", function (e) {
          if (!self.gf.playing) return;
          if (e.code === "KeyU" || e.code === "KeyZ" || e.code === "Backspace") self.undo();
        });
      }
    }

    center(x, y) {
      return { x: this.g.x0 + (x + 0.5) * this.g.cell, y: this.g.y0 + (y + 0.5) * this.g.cell };
    }

    isWall(x, y) {
      return x < 0 || y < 0 || x >= this.cols || y >= this.rows || this.walls[y][x];
    }

    nearFloor(x, y) {
      for (var dy = -1; dy <= 1; dy++) {
        for (var dx = -1; dx <= 1; dx++) {
          var nx = x + dx;
          var ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < this.cols && ny < this.rows && this.L.grid[ny][nx] !== "#") return true;
        }
      }
      return false;
    }

    onGoal(x, y) {
      return !!this.goals[x + "," + y];
    }

    crateAt(x, y) {
      for (var i = 0; i < this.crates.length; i++) {
        if (this.crates[i].x === x && this.crates[i].y === y) return this.crates[i];
      }
      return null;
    }

    placedCount() {
      var n = 0;
      for (var i = 0; i < this.crates.length; i++) if (this.onGoal(this.crates[i].x, this.crates[i].y)) n++;
      return n;
    }

    /** Cells a crate can never leave for a target: not reachable by pulling a crate back from any target. */
    aliveCells() {
      var alive = {};
      var queue = [];
      var self = this;
      Object.keys(this.goals).forEach(function (k) {
        alive[k] = true;
        queue.push(k.split(",").map(Number));
      });
      while (queue.length) {
        var c = queue.shift();
        Object.keys(DIRS).forEach(function (name) {
          var d = DIRS[name];
          var nx = c[0] + d[0];
          var ny = c[1] + d[1];
          if (alive[nx + "," + ny] || self.isWall(nx, ny) || self.isWall(nx + d[0], ny + d[1])) return;
          alive[nx + "," + ny] = true;
          queue.push([nx, ny]);
        });
      }
      return alive;
    }

    updateStatus() {
      this.status.setText(
        "Moves " + this.moves + " / " + this.L.move_limit + "    Crates " + this.placedCount() + " / " + this.crates.length
      );
      this.status.setColor(this.L.move_limit - this.moves <= 5 ? this.palette.css.danger : this.palette.css.text);
    }

    onAction(action) {
      if (DIRS[action]) {
        this.step(action);
        this.lastMove = this.now;
      }
    }

    onPointer(type, x, y) {
      var b = this.undoBox;
      if (type === "down" && b && x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) this.undo();
    }

    step(action) {
      if (this.moves >= this.L.move_limit) return false;
      var d = DIRS[action];
      var nx = this.px + d[0];
      var ny = this.py + d[1];
      if (this.isWall(nx, ny)) {
        this.gf.cue("blocked");
        return false;
      }
      var crate = this.crateAt(nx, ny);
      if (crate) {
        var bx = nx + d[0];
        var by = ny + d[1];
        if (this.isWall(bx, by) || this.crateAt(bx, by)) {
          this.gf.cue("blocked");
          return false;
        }
      }
      this.history.push({ px: this.px, py: this.py, crate: crate, cx: crate ? crate.x : 0, cy: crate ? crate.y : 0 });
      this.px = nx;
      this.py = ny;
      this.moves += 1;
      var p = this.center(nx, ny);
      this.tweens.killTweensOf(this.player);
      this.tweens.add({ targets: this.player, x: p.x, y: p.y, duration: TWEEN_MS });
      if (crate) {
        crate.x += d[0];
        crate.y += d[1];
        this.placeCrate(crate);
        this.gf.cue("push");
        this.afterPush(crate);
      } else {
        this.gf.cue("step");
      }
      this.updateStatus();
      if (!this.gf.playing) return true;
      if (this.placedCount() === this.crates.length) {
        var left = this.L.move_limit - this.moves;
        this.gf.addScore(left * Math.max(1, Math.round(this.gf.base / 2)), p.x, p.y - 30);
        if (this.L.par && this.moves <= this.L.par) this.gf.toast("Perfect! Par " + this.L.par, 900);
        this.gf.completeLevel();
      } else if (this.moves >= this.L.move_limit) {
        this.gf.track("out_of_moves", { level: this.gf.levelIndex + 1, placed: this.placedCount() });
        this.gf.failLevel("Out of moves!");
      }
      return true;
    }

    placeCrate(crate) {
      var c = this.center(crate.x, crate.y);
      var cell = this.g.cell;
      this.tweens.killTweensOf(crate.img);
      crate.img.setFrame(this.onGoal(crate.x, crate.y) ? "crate_done" : "crate");
      crate.img.setDisplaySize(cell * 0.86, cell * 0.86);
      this.tweens.add({ targets: crate.img, x: c.x, y: c.y, duration: TWEEN_MS });
    }

    afterPush(crate) {
      var placed = this.placedCount();
      if (this.onGoal(crate.x, crate.y)) {
        this.gf.cue("placed");
        this.gf.track("crate_placed", { level: this.gf.levelIndex + 1, placed: placed, total: this.crates.length });
        if (placed > this.bestPlaced) {
          var c = this.center(crate.x, crate.y);
          this.gf.addScore(this.gf.base * 5, c.x, c.y);
          this.bestPlaced = placed;
        }
        return;
      }
      if (!this.params.deadlock_hints) return;
      if (!this.alive[crate.x + "," + crate.y] || this.frozen(crate)) {
        this.gf.cue("stuck");
        this.gf.track("crate_stuck", { level: this.gf.levelIndex + 1 });
        this.gf.toast(this.params.undo ? "Stuck! Undo (U)" : "Stuck! Restart from pause", 1100);
        this.tweens.add({ targets: crate.img, angle: 8, yoyo: true, repeat: 3, duration: 70 });
      }
    }

    /** A crate off target in a 2x2 square of walls and crates: nothing there can move again. */
    frozen(crate) {
      var self = this;
      var solid = function (x, y) {
        return self.isWall(x, y) || !!self.crateAt(x, y);
      };
      var squares = [[1, 1], [-1, 1], [1, -1], [-1, -1]];
      for (var i = 0; i < squares.length; i++) {
        var sx = squares[i][0];
        var sy = squares[i][1];
        if (solid(crate.x + sx, crate.y) && solid(crate.x, crate.y + sy) && solid(crate.x + sx, crate.y + sy)) return true;
      }
      return false;
    }

    undo() {
      if (!this.params.undo || !this.history.length || !this.gf.playing) return;
      var last = this.history.pop();
      this.px = last.px;
      this.py = last.py;
      var p = this.center(this.px, this.py);
      this.tweens.killTweensOf(this.player);
      this.player.setPosition(p.x, p.y);
      if (last.crate) {
        last.crate.x = last.cx;
        last.crate.y = last.cy;
        this.placeCrate(last.crate);
      }
      // Undo rewinds the board, not the clock of moves: each step still counts.
      this.gf.cue("step");
      this.gf.track("undo_used", { level: this.gf.levelIndex + 1, moves: this.moves });
      this.updateStatus();
    }

    tick(time, dt) {
      this.now += dt;
      var held = null;
      ["up", "down", "left", "right"].forEach(function (a) {
        if (this.gf.held(a)) held = a;
      }, this);
      if (held && this.now - this.lastMove >= REPEAT_MS) {
        this.lastMove = this.now;
        this.step(held);
      }
    }

    observe() {
      return {
        width: this.cols,
        height: this.rows,
        player: [this.px, this.py],
        crates: this.crates.map(function (c) {
          return [c.x, c.y];
        }),
        moves: this.moves,
        move_limit: this.L.move_limit,
        placed: this.placedCount(),
      };
    }
  }

  GF.registerMechanic("sokoban", SokobanScene);
})();
