/* Stacker: drop the sliding row on the stack; what overhangs falls off; reach the top line. */
(function () {
  "use strict";

  class StackerScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return level.seed;
    }

    buildLevel(level, index) {
      this.L = level;
      var g = this.fitGrid(level.cols, level.rows + 1);
      this.cell = g.cell;
      this.x0 = g.x0;
      this.y0 = g.y0 + g.cell; // one row of headroom above the top line
      this.boardPanel(this.x0, g.y0, g.cell * level.cols, g.cell * (level.rows + 1));
      for (var r = 0; r < level.rows; r++) {
        for (var c = 0; c < level.cols; c++) {
          this.sprite(this.cellX(c), this.cellY(r), "cell", g.cell - 2, g.cell - 2).setAlpha(0.35);
        }
      }
      var line = this.add.graphics();
      line.lineStyle(4, this.palette.accent, 0.9);
      line.lineBetween(this.x0, this.y0, this.x0 + g.cell * level.cols, this.y0);
      this.layer.add(line);
      this.goal = this.text(this.x0 + (g.cell * level.cols) / 2, this.y0 - g.cell / 2, "Stack to here", 20).setAlpha(0.8);
      this.rand = this.gf.rng(StackerScene.rngSeed(level, index));
      this.row = 0;
      this.width = level.width;
      this.stack = [];
      this.sliderImgs = [];
      this.startRow();
    }

    cellX(c) {
      return this.x0 + (c + 0.5) * this.cell;
    }

    cellY(r) {
      return this.y0 + (this.L.rows - 1 - r + 0.5) * this.cell;
    }

    stepFor(row) {
      return Math.max(this.L.min_step_ms, this.L.step_ms - this.L.speedup_ms * row);
    }

    capFor(row) {
      var cap = this.L.cols;
      for (var i = 0; i < this.L.caps.length; i++) {
        if (row >= this.L.caps[i][0]) cap = Math.min(cap, this.L.caps[i][1]);
      }
      return cap;
    }

    /** A new slider: the same two draws per row as stacker.py's `slider_for` and flame.dart. */
    startRow() {
      this.width = Math.min(this.width, this.capFor(this.row));
      this.x = Math.floor(this.rand() * (this.L.cols - this.width + 1));
      this.dir = this.rand() < 0.5 ? 1 : -1;
      this.since = 0;
      for (var i = 0; i < this.sliderImgs.length; i++) this.sliderImgs[i].destroy();
      this.sliderImgs = [];
      for (var k = 0; k < this.width; k++) {
        this.sliderImgs.push(this.sprite(0, 0, "slider", this.cell - 4, this.cell - 4));
      }
      this.placeSlider();
    }

    placeSlider() {
      for (var k = 0; k < this.sliderImgs.length; k++) {
        this.sliderImgs[k].setPosition(this.cellX(this.x + k), this.cellY(this.row));
      }
    }

    tick(time, dt) {
      this.since += dt;
      var step = this.stepFor(this.row);
      var moved = false;
      while (this.since >= step) {
        this.since -= step;
        if (this.x + this.dir < 0 || this.x + this.dir > this.L.cols - this.width) this.dir = -this.dir;
        this.x += this.dir;
        moved = true;
      }
      if (moved) this.placeSlider();
    }

    onAction(action) {
      if (action === "primary" || action === "down") this.drop();
    }

    onPointer(type) {
      if (type === "down") this.drop();
    }

    drop() {
      if (!this.gf.playing) return;
      var below = this.stack.length ? this.stack[this.stack.length - 1] : null;
      var lo = below ? Math.max(this.x, below[0]) : this.x;
      var hi = below ? Math.min(this.x + this.width, below[0] + below[1]) : this.x + this.width;
      var kept = Math.max(0, hi - lo);
      var level = this.gf.levelIndex + 1;
      // the cells that overhang fall off
      for (var k = 0; k < this.sliderImgs.length; k++) {
        var c = this.x + k;
        var img = this.sliderImgs[k];
        if (c >= lo && c < hi) {
          img.destroy();
          continue;
        }
        this.tweens.add({ targets: img, y: img.y + this.cell * 4, alpha: 0, angle: 40, duration: 500, onComplete: function () { this.destroy(); }.bind(img) });
      }
      this.sliderImgs = [];
      if (kept === 0) {
        this.gf.cue("cut");
        this.gf.track("stack_missed", { level: level, row: this.row + 1, lives: this.gf.lives - 1 });
        if (this.gf.loseLife("The row missed the stack")) this.startRow();
        return;
      }
      for (var cc = lo; cc < hi; cc++) this.sprite(this.cellX(cc), this.cellY(this.row), "block", this.cell - 4, this.cell - 4);
      var cut = this.width - kept;
      var perfect = cut === 0 && this.row > 0;
      this.gf.cue(cut ? "cut" : perfect ? "perfect" : "drop");
      this.gf.addScore(this.gf.base * kept * (perfect && this.params.bonus_perfect ? 2 : 1), this.cellX(lo), this.cellY(this.row));
      this.gf.track("row_placed", { level: level, row: this.row + 1, width: kept, cut: cut });
      this.stack.push([lo, kept]);
      this.row += 1;
      this.width = kept;
      if (this.row >= this.L.rows) {
        this.gf.completeLevel();
        return;
      }
      this.startRow();
    }

    observe() {
      var below = this.stack.length ? this.stack[this.stack.length - 1] : null;
      return {
        playing: this.gf.playing,
        row: this.row,
        rows: this.L.rows,
        cols: this.L.cols,
        x: this.x,
        width: this.width,
        dir: this.dir,
        since: this.since,
        step: this.stepFor(this.row),
        below: below,
      };
    }
  }

  GF.registerMechanic("stacker", StackerScene);
})();
