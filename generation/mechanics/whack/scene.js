/* Whack: moles pop out of holes for a moment; whack them before they hide, leave the bombs alone. */
(function () {
  "use strict";

  class WhackScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return level.seed;
    }

    buildLevel(level, index) {
      var a = this.area;
      this.L = level;
      var top = 70;
      var cell = Math.floor(Math.min(a.w / level.cols, (a.h - top) / level.rows, 170));
      this.cell = cell;
      var x0 = a.x + (a.w - cell * level.cols) / 2;
      var y0 = a.y + top + (a.h - top - cell * level.rows) / 2;
      this.boardPanel(x0, y0, cell * level.cols, cell * level.rows);
      this.holes = [];
      for (var r = 0; r < level.rows; r++) {
        for (var c = 0; c < level.cols; c++) {
          var x = x0 + (c + 0.5) * cell;
          var y = y0 + (r + 0.5) * cell;
          this.sprite(x, y + cell * 0.22, "hole", cell * 0.8, cell * 0.32);
          this.holes.push({ x: x, y: y, pop: null });
        }
      }
      this.rand = this.gf.rng(WhackScene.rngSeed(level, index));
      this.total = Math.max(0, Math.ceil((level.time_limit_s * 1000 - level.start_ms) / level.pop_ms));
      this.popped = 0;
      this.takenUntil = this.holes.map(function () {
        return 0;
      });
      this.clock = 0;
      this.whacked = 0;
      this.cursor = Math.floor(this.holes.length / 2);
      this.hammer = this.sprite(0, 0, "hammer", cell * 0.42, cell * 0.42);
      this.hammer.setAlpha(0.85);
      this.placeHammer();
      this.info = this.text(GF.width / 2, a.y + 30, "", 24);
      this.showCount();
    }

    showCount() {
      this.info.setText("Whacked " + this.whacked + " / " + this.L.target);
    }

    placeHammer() {
      var h = this.holes[this.cursor];
      this.hammer.setPosition(h.x + this.cell * 0.3, h.y - this.cell * 0.3);
      this.layer.bringToTop(this.hammer);
    }

    /** The next pop of the schedule: the same two draws per pop as the definition's `pops`. */
    pop() {
      var L = this.L;
      var k = this.popped++;
      var r1 = this.rand();
      var r2 = this.rand();
      var t0 = (L.start_ms + k * L.pop_ms) / 1000;
      var n = this.holes.length;
      var first = Math.floor(r1 * n);
      for (var step = 0; step < n; step++) {
        var i = (first + step) % n;
        if (this.takenUntil[i] <= t0) {
          var t1 = t0 + L.up_ms / 1000;
          this.takenUntil[i] = t1;
          this.show(i, t1, r2 < L.bad_share);
          return;
        }
      }
    }

    show(i, t1, bad) {
      var h = this.holes[i];
      var size = this.cell * (bad ? 0.55 : 0.62);
      var img = this.sprite(h.x, h.y - this.cell * 0.04, bad ? "bomb" : "mole", size, size);
      var sx = img.scaleX;
      var sy = img.scaleY;
      img.setScale(sx * 0.2, sy * 0.2);
      this.tweens.add({ targets: img, scaleX: sx, scaleY: sy, duration: 120 });
      h.pop = { t1: t1, bad: bad, img: img };
      this.layer.bringToTop(this.hammer);
      this.gf.cue("pop");
    }

    hide(h) {
      if (h.pop) h.pop.img.destroy();
      h.pop = null;
    }

    tick(time, dt) {
      this.clock += dt;
      var t = this.clock / 1000;
      while (this.popped < this.total && (this.L.start_ms + this.popped * this.L.pop_ms) / 1000 <= t) this.pop();
      for (var i = 0; i < this.holes.length; i++) {
        var h = this.holes[i];
        if (h.pop && t >= h.pop.t1) this.hide(h);
      }
    }

    onAction(action) {
      var cols = this.L.cols;
      var r = Math.floor(this.cursor / cols);
      var c = this.cursor % cols;
      if (action === "primary") {
        this.whack(this.cursor);
        return;
      }
      if (action === "left") c = Math.max(0, c - 1);
      if (action === "right") c = Math.min(cols - 1, c + 1);
      if (action === "up") r = Math.max(0, r - 1);
      if (action === "down") r = Math.min(this.L.rows - 1, r + 1);
      this.cursor = r * cols + c;
      this.placeHammer();
    }

    onPointer(type, x, y) {
      if (type !== "down") return;
      for (var i = 0; i < this.holes.length; i++) {
        var h = this.holes[i];
        if (Math.abs(x - h.x) <= this.cell / 2 && Math.abs(y - h.y) <= this.cell / 2) {
          this.cursor = i;
          this.placeHammer();
          this.whack(i);
          return;
        }
      }
    }

    whack(i) {
      var h = this.holes[i];
      var hammer = this.hammer;
      this.tweens.add({ targets: hammer, angle: -40, duration: 60, yoyo: true });
      if (!h.pop) return;
      var pop = h.pop;
      var img = pop.img;
      h.pop = null;
      this.tweens.add({ targets: img, scaleX: img.scaleX * 1.4, scaleY: img.scaleY * 0.3, alpha: 0, duration: 160, onComplete: function () { img.destroy(); } });
      if (pop.bad) {
        this.gf.cue("bomb");
        this.gf.track("bomb_whacked", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
        this.cameras.main.shake(200, 0.012);
        this.gf.loseLife("You whacked a bomb");
        return;
      }
      this.whacked += 1;
      this.showCount();
      this.gf.cue("whack");
      this.gf.addScore(this.gf.base, h.x, h.y - this.cell * 0.3);
      this.gf.track("mole_whacked", { level: this.gf.levelIndex + 1, whacked: this.whacked });
      if (this.whacked >= this.L.target) this.gf.completeLevel();
    }

    observe() {
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        cursor: this.cursor,
        cell: this.cell,
        holes: this.holes.map(function (h) {
          return [h.x, h.y, h.pop ? (h.pop.bad ? 2 : 1) : 0];
        }),
        whacked: this.whacked,
        target: this.L.target,
      };
    }
  }

  GF.registerMechanic("whack", WhackScene);
})();
