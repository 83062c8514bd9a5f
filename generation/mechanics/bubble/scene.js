/* Bubble shooter: aim, fire, pop three of a colour; clear the board before the shots run out. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): its validator plays the same rules.
  var COLS = 9;
  var CELL = 54;
  var RADIUS = 25;
  var LOSE_ROW = 12;
  var FIELD_W = 516;
  var FIELD_H = 820;
  var X0 = Math.floor((FIELD_W - COLS * CELL) / 2);
  var SHOOTER_X = FIELD_W / 2;
  var SHOOTER_Y = FIELD_H - 60;
  var STEP = 8;
  var TOUCH = 2 * RADIUS * 0.85;
  var MIN_AIM = 0.15;
  var TURN = 1.6; // radians per second with the keys
  var SIZE = 50;

  class BubbleScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return level.seed;
    }

    buildLevel(level, index) {
      var a = this.area;
      this.L = level;
      this.fx = a.x;
      this.fy = a.y + Math.max(0, (a.h - FIELD_H) / 2);
      var g = this.add.graphics();
      g.fillStyle(this.palette.surface, 0.85);
      g.fillRoundedRect(this.fx + X0 - 6, this.fy - 6, COLS * CELL + 12, FIELD_H + 6, 12);
      g.lineStyle(3, this.palette.danger, 0.6);
      g.lineBetween(this.fx + X0, this.fy + LOSE_ROW * CELL, this.fx + X0 + COLS * CELL, this.fy + LOSE_ROW * CELL);
      this.layer.add(g);
      this.guide = this.add.graphics();
      this.layer.add(this.guide);
      this.grid = [];
      this.imgs = [];
      for (var r = 0; r <= LOSE_ROW; r++) {
        this.grid.push([]);
        this.imgs.push([]);
        for (var c = 0; c < COLS; c++) {
          var ch = r < level.rows.length ? level.rows[r][c] : ".";
          this.grid[r].push(ch === "." ? -1 : parseInt(ch, 10));
          this.imgs[r].push(this.grid[r][c] >= 0 ? this.sprite(this.cellX(c), this.cellY(r), "bubble" + ch, SIZE, SIZE) : null);
        }
      }
      this.rand = this.gf.rng(BubbleScene.rngSeed(level, index));
      this.current = this.nextColour();
      this.upcoming = this.nextColour();
      this.shotsLeft = level.shots;
      this.aim = Math.PI / 2;
      this.pressed = false;
      this.flying = null;
      this.launcher = this.sprite(this.fx + SHOOTER_X, this.fy + SHOOTER_Y + 34, "launcher", 40, 30);
      this.loaded = this.sprite(this.fx + SHOOTER_X, this.fy + SHOOTER_Y, "bubble" + this.current, SIZE, SIZE);
      this.nextImg = this.sprite(this.fx + SHOOTER_X + 90, this.fy + SHOOTER_Y + 20, "bubble" + this.upcoming, 32, 32);
      this.info = this.text(this.fx + SHOOTER_X - 150, this.fy + SHOOTER_Y + 20, "", 22);
      this.showInfo();
      this.drawGuide();
    }

    cellX(c) {
      return this.fx + X0 + (c + 0.5) * CELL;
    }

    cellY(r) {
      return this.fy + (r + 0.5) * CELL;
    }

    coloursLeft() {
      var seen = {};
      var out = [];
      for (var r = 0; r <= LOSE_ROW; r++) {
        for (var c = 0; c < COLS; c++) {
          var v = this.grid[r][c];
          if (v >= 0 && !seen[v]) {
            seen[v] = true;
            out.push(v);
          }
        }
      }
      return out.sort(function (x, y) { return x - y; });
    }

    /** One draw: a colour still on the board, as bubble.py's `next_colour`. */
    nextColour() {
      var left = this.coloursLeft();
      if (!left.length) left = [0];
      return left[Math.floor(this.rand() * left.length)];
    }

    showInfo() {
      this.info.setText("Shots " + this.shotsLeft);
      this.loaded.setFrame("bubble" + this.current).setDisplaySize(SIZE, SIZE);
      this.nextImg.setFrame("bubble" + this.upcoming).setDisplaySize(32, 32);
    }

    drawGuide() {
      this.guide.clear();
      if (!this.params.aim_guide || this.flying) return;
      this.guide.fillStyle(this.palette.text, 0.5);
      for (var k = 1; k <= 6; k++) {
        this.guide.fillCircle(this.fx + SHOOTER_X + Math.cos(this.aim) * k * 30, this.fy + SHOOTER_Y - Math.sin(this.aim) * k * 30, 4);
      }
    }

    aimAt(x, y) {
      var dx = x - (this.fx + SHOOTER_X);
      var dy = this.fy + SHOOTER_Y - y;
      this.aim = Math.max(MIN_AIM, Math.min(Math.PI - MIN_AIM, Math.atan2(Math.max(dy, 1), dx)));
      this.drawGuide();
    }

    onPointer(type, x, y) {
      if (type === "down") this.pressed = true;
      this.aimAt(x, y);
      if (type === "up" && this.pressed) {
        this.pressed = false;
        this.fire();
      }
    }

    onAction(action) {
      if (action === "primary" || action === "up") this.fire();
    }

    fire() {
      if (this.flying || this.shotsLeft <= 0 || !this.gf.playing) return;
      this.shotsLeft -= 1;
      var img = this.sprite(this.fx + SHOOTER_X, this.fy + SHOOTER_Y, "bubble" + this.current, SIZE, SIZE);
      this.flying = { x: SHOOTER_X, y: SHOOTER_Y, vx: Math.cos(this.aim), vy: -Math.sin(this.aim), colour: this.current, img: img };
      this.loaded.setVisible(false);
      this.guide.clear();
      this.gf.cue("fire");
      this.gf.track("bubble_fired", { level: this.gf.levelIndex + 1, shots_left: this.shotsLeft });
      this.info.setText("Shots " + this.shotsLeft);
    }

    tick(time, dt) {
      if (!this.flying) {
        if (this.gf.held("left") || this.gf.held("right")) {
          this.aim += (this.gf.held("left") ? 1 : -1) * TURN * (dt / 1000);
          this.aim = Math.max(MIN_AIM, Math.min(Math.PI - MIN_AIM, this.aim));
          this.drawGuide();
        }
        return;
      }
      var f = this.flying;
      var steps = Math.max(1, Math.round((this.params.shot_speed * dt) / 1000 / STEP));
      for (var i = 0; i < steps; i++) {
        if (this.stepFlight(f)) return;
      }
      f.img.setPosition(this.fx + f.x, this.fy + f.y);
    }

    /** One step of STEP pixels, as bubble.py's `fly`; true once the bubble has stuck. */
    stepFlight(f) {
      f.x += f.vx * STEP;
      f.y += f.vy * STEP;
      var left = X0 + RADIUS;
      var right = X0 + COLS * CELL - RADIUS;
      if (f.x < left) {
        f.x = left;
        f.vx = Math.abs(f.vx);
      } else if (f.x > right) {
        f.x = right;
        f.vx = -Math.abs(f.vx);
      }
      var touching = f.y - RADIUS <= 0;
      for (var r = 0; r <= LOSE_ROW && !touching; r++) {
        for (var c = 0; c < COLS; c++) {
          if (this.grid[r][c] < 0) continue;
          var dx = X0 + (c + 0.5) * CELL - f.x;
          var dy = (r + 0.5) * CELL - f.y;
          if (dx * dx + dy * dy < TOUCH * TOUCH) {
            touching = true;
            break;
          }
        }
      }
      if (!touching) return false;
      this.stick(f);
      return true;
    }

    /** The empty cell the bubble sticks in: back along its path if it overshot into a bubble. */
    cellAt(x, y, vx, vy) {
      var norm = Math.max(1e-9, Math.sqrt(vx * vx + vy * vy));
      var row = 0;
      var col = 0;
      for (var k = 0; k < 40; k++) {
        col = Math.min(COLS - 1, Math.max(0, Math.floor((x - X0) / CELL)));
        row = Math.min(LOSE_ROW, Math.max(0, Math.floor(y / CELL)));
        if (this.grid[row][col] < 0) break;
        x -= (vx / norm) * 4;
        y -= (vy / norm) * 4;
      }
      return [row, col];
    }

    neighbours(r, c) {
      var out = [];
      var d = [[-1, 0], [1, 0], [0, -1], [0, 1]];
      for (var i = 0; i < 4; i++) {
        var nr = r + d[i][0];
        var nc = c + d[i][1];
        if (nr >= 0 && nr <= LOSE_ROW && nc >= 0 && nc < COLS) out.push([nr, nc]);
      }
      return out;
    }

    /** Cells reached from `start` through cells that pass `test`. */
    flood(start, test) {
      var seen = {};
      var out = [];
      var queue = start.slice();
      for (var i = 0; i < queue.length; i++) seen[queue[i][0] * COLS + queue[i][1]] = true;
      while (queue.length) {
        var cell = queue.shift();
        out.push(cell);
        var ns = this.neighbours(cell[0], cell[1]);
        for (var k = 0; k < ns.length; k++) {
          var key = ns[k][0] * COLS + ns[k][1];
          if (!seen[key] && test(ns[k][0], ns[k][1])) {
            seen[key] = true;
            queue.push(ns[k]);
          }
        }
      }
      return out;
    }

    stick(f) {
      var grid = this.grid;
      var at = this.cellAt(f.x, f.y, f.vx, f.vy);
      var row = at[0];
      var col = at[1];
      f.img.destroy();
      this.flying = null;
      grid[row][col] = f.colour;
      this.imgs[row][col] = this.sprite(this.cellX(col), this.cellY(row), "bubble" + f.colour, SIZE, SIZE);
      var colour = f.colour;
      var same = this.flood([[row, col]], function (r, c) { return grid[r][c] === colour; });
      var popped = 0;
      var dropped = 0;
      if (same.length >= 3) {
        for (var i = 0; i < same.length; i++) this.removeBubble(same[i][0], same[i][1], false);
        popped = same.length;
        var roots = [];
        for (var c = 0; c < COLS; c++) if (grid[0][c] >= 0) roots.push([0, c]);
        var held = {};
        var hung = this.flood(roots, function (r, c2) { return grid[r][c2] >= 0; });
        for (var h = 0; h < hung.length; h++) held[hung[h][0] * COLS + hung[h][1]] = true;
        for (var r = 0; r <= LOSE_ROW; r++) {
          for (var cc = 0; cc < COLS; cc++) {
            if (grid[r][cc] >= 0 && !held[r * COLS + cc]) {
              this.removeBubble(r, cc, true);
              dropped += 1;
            }
          }
        }
        this.gf.cue("pop");
        this.gf.addScore(this.gf.base * (popped + 2 * dropped), this.cellX(col), this.cellY(row));
        this.gf.track("bubbles_popped", { level: this.gf.levelIndex + 1, popped: popped, dropped: dropped });
      } else {
        this.gf.cue("stick");
      }
      if (!this.coloursLeft().length) {
        this.gf.completeLevel();
        return;
      }
      if (row >= LOSE_ROW) {
        this.gf.failLevel("The bubbles reached the line");
        return;
      }
      if (this.shotsLeft <= 0) {
        this.gf.failLevel("Out of shots");
        return;
      }
      // the same draws, in the same order, as bubble.py's greedy_clear and flame.dart
      this.current = this.upcoming;
      this.upcoming = this.nextColour();
      if (this.coloursLeft().indexOf(this.current) < 0) this.current = this.nextColour();
      this.loaded.setVisible(true);
      this.showInfo();
      this.drawGuide();
    }

    removeBubble(r, c, falls) {
      this.grid[r][c] = -1;
      var img = this.imgs[r][c];
      this.imgs[r][c] = null;
      if (!img) return;
      this.tweens.add({
        targets: img,
        alpha: 0,
        y: falls ? img.y + 300 : img.y,
        displayWidth: falls ? SIZE : SIZE * 1.5,
        displayHeight: falls ? SIZE : SIZE * 1.5,
        duration: falls ? 450 : 180,
        onComplete: function () { img.destroy(); },
      });
    }

    observe() {
      return {
        playing: this.gf.playing,
        origin: [this.fx, this.fy],
        shooter: [SHOOTER_X, SHOOTER_Y],
        aim: this.aim,
        flying: !!this.flying,
        current: this.current,
        upcoming: this.upcoming,
        shots_left: this.shotsLeft,
        grid: this.grid.map(function (row) { return row.slice(); }),
      };
    }
  }

  GF.registerMechanic("bubble", BubbleScene);
})();
