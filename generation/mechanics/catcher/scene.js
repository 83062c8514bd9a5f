/* Catcher: slide the basket, catch the good things that fall, keep away from the bad ones. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): the validator searches the very same stream.
  var FIELD_W = 516;
  var FIELD_H = 600;
  var CATCH_Y = 530;
  var ITEM_R = 20;
  var BASKET_H = 40;

  class CatcherScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return level.seed;
    }

    buildLevel(level, index) {
      var a = this.area;
      this.L = level;
      this.fx = a.x;
      this.fy = a.y + a.h - FIELD_H - 8;
      // Things come into sight from the top of the play area, above the field proper: the same
      // paths, only drawn earlier (the validator's stream starts at the field's top edge).
      var top = a.y + 4;
      this.lead = (this.fy - top + 2 * ITEM_R) / level.speed_min;
      var g = this.add.graphics();
      g.fillStyle(this.palette.surface, 0.28);
      g.fillRoundedRect(this.fx - 4, top, FIELD_W + 8, this.fy + FIELD_H + 4 - top, 10);
      g.lineStyle(2, this.palette.primary, 0.5);
      g.strokeRoundedRect(this.fx - 4, top, FIELD_W + 8, this.fy + FIELD_H + 4 - top, 10);
      this.layer.add(g);
      this.rand = this.gf.rng(CatcherScene.rngSeed(level, index));
      this.total = Math.max(0, Math.ceil((level.time_limit_s * 1000 - level.start_ms) / level.spawn_ms));
      this.spawned = 0;
      this.fallers = [];
      this.half = this.params.basket_width / 2;
      this.reach = this.half + ITEM_R / 2;
      this.basketX = FIELD_W / 2;
      this.targetX = null;
      this.basket = this.sprite(this.fx + this.basketX, this.fy + CATCH_Y + BASKET_H / 2 - 4, "basket", this.params.basket_width, BASKET_H);
      this.clock = 0;
      this.caught = 0;
      this.info = this.text(GF.width / 2, a.y + 30, "", 24);
      this.showCount();
    }

    showCount() {
      this.info.setText("Caught " + this.caught + " / " + this.L.target);
    }

    /** The next thing of the stream: the same three draws per spawn as the definition's `fallers`. */
    spawn() {
      var L = this.L;
      var k = this.spawned++;
      var r1 = this.rand();
      var r2 = this.rand();
      var r3 = this.rand();
      var bad = r3 < L.bad_share;
      var f = {
        t0: (L.start_ms + k * L.spawn_ms) / 1000,
        x: ITEM_R + r1 * (FIELD_W - 2 * ITEM_R),
        vy: L.speed_min + r2 * (L.speed_max - L.speed_min),
        bad: bad,
        y: -ITEM_R,
        landed: false,
      };
      f.img = this.sprite(this.fx + f.x, this.fy + f.y, bad ? "bad" : "good", ITEM_R * 2, ITEM_R * 2);
      f.spin = (r1 - 0.5) * 3;
      this.fallers.push(f);
      this.layer.bringToTop(this.info); // the count stays readable over what falls
    }

    onAction() {
      this.targetX = null; // the keys take over from the finger
    }

    onPointer(type, x) {
      if (GF.spec.controls.touch_layout === "buttons") return; // the arrow buttons steer instead
      if (type === "down" || type === "move") this.targetX = x - this.fx;
    }

    tick(time, dt) {
      this.clock += dt;
      var t = this.clock / 1000;
      var s = dt / 1000;
      var speed = this.params.basket_speed;
      var held = (this.gf.held("right") ? 1 : 0) - (this.gf.held("left") ? 1 : 0);
      if (held) {
        this.basketX += held * speed * s;
      } else if (this.targetX !== null) {
        var delta = this.targetX - this.basketX;
        this.basketX += Math.max(-speed * s, Math.min(speed * s, delta));
      }
      this.basketX = Math.max(this.half, Math.min(FIELD_W - this.half, this.basketX));
      this.basket.x = this.fx + this.basketX;
      while (this.spawned < this.total && (this.L.start_ms + this.spawned * this.L.spawn_ms) / 1000 - this.lead <= t) this.spawn();
      var keep = [];
      for (var i = 0; i < this.fallers.length; i++) {
        var f = this.fallers[i];
        f.y = -ITEM_R + f.vy * (t - f.t0);
        f.img.setPosition(this.fx + f.x, this.fy + f.y);
        f.img.setVisible(this.fy + f.y + ITEM_R > this.area.y);
        f.img.angle += f.spin;
        if (!f.landed && f.y >= CATCH_Y) {
          f.landed = true;
          if (Math.abs(f.x - this.basketX) <= this.reach) {
            if (!this.catchIt(f)) return;
            continue;
          }
        }
        if (f.y - ITEM_R > FIELD_H) {
          f.img.destroy();
          continue;
        }
        keep.push(f);
      }
      this.fallers = keep;
    }

    /** The basket caught `f`. False when the level or the game ended. */
    catchIt(f) {
      var img = f.img;
      this.tweens.add({ targets: img, scaleX: img.scaleX * 1.6, scaleY: img.scaleY * 1.6, alpha: 0, duration: 200, onComplete: function () { img.destroy(); } });
      if (f.bad) {
        this.gf.cue("bad");
        this.gf.track("hazard_caught", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
        this.cameras.main.shake(200, 0.012);
        return this.gf.loseLife("You caught a bad one");
      }
      this.caught += 1;
      this.showCount();
      this.gf.cue("catch");
      this.gf.addScore(this.gf.base, this.fx + f.x, this.fy + CATCH_Y);
      this.gf.track("item_caught", { level: this.gf.levelIndex + 1, caught: this.caught });
      if (this.caught >= this.L.target) {
        this.gf.completeLevel();
        return false;
      }
      return true;
    }

    observe() {
      var things = [];
      this.fallers.forEach(function (f) {
        if (!f.landed) things.push([f.x, f.y, f.vy, f.bad ? 1 : 0]);
      });
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        basket: this.basketX,
        y: CATCH_Y,
        reach: this.reach,
        half: this.half,
        speed: this.params.basket_speed,
        origin: [this.fx, this.fy],
        width: FIELD_W,
        t: this.clock / 1000,
        things: things,
        caught: this.caught,
        target: this.L.target,
      };
    }
  }

  GF.registerMechanic("catcher", CatcherScene);
})();
