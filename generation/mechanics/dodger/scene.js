/* Dodger: steer left and right to dodge falling rocks until the clock runs out; stars score. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): the validator searches the very same stream.
  var FIELD_W = 516;
  var FIELD_H = 600;
  var SHIP_Y = 540;
  var SHIP_HW = 18;
  var SHIP_HH = 16;
  var HIT_MS = 1500;

  class DodgerScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return level.seed;
    }

    buildLevel(level, index) {
      var a = this.area;
      this.L = level;
      this.fx = a.x;
      this.fy = a.y + a.h - FIELD_H - 8;
      // Rocks come into sight from the top of the play area, above the field proper: the same
      // paths, only drawn earlier (the validator's stream starts at the field's top edge).
      var top = a.y + 4;
      this.lead = (this.fy - top + 60) / level.speed_min;
      var g = this.add.graphics();
      g.fillStyle(this.palette.surface, 0.28);
      g.fillRoundedRect(this.fx - 4, top, FIELD_W + 8, this.fy + FIELD_H + 4 - top, 10);
      g.lineStyle(2, this.palette.primary, 0.5);
      g.strokeRoundedRect(this.fx - 4, top, FIELD_W + 8, this.fy + FIELD_H + 4 - top, 10);
      g.lineStyle(2, this.palette.danger, 0.35);
      g.lineBetween(this.fx, this.fy + SHIP_Y + SHIP_HH + 14, this.fx + FIELD_W, this.fy + SHIP_Y + SHIP_HH + 14);
      this.layer.add(g);
      this.rand = this.gf.rng(DodgerScene.rngSeed(level, index));
      this.total = Math.max(0, Math.ceil((level.time_limit_s * 1000 - level.start_ms) / level.spawn_ms));
      this.spawned = 0;
      this.fallers = [];
      this.shipX = FIELD_W / 2;
      this.targetX = null;
      this.ship = this.sprite(this.fx + this.shipX, this.fy + SHIP_Y, "ship", SHIP_HW * 2 + 10, SHIP_HH * 2 + 10);
      this.clock = 0;
      this.hitUntil = 0;
      this.dodged = 0;
      this.stars = 0;
      this.info = this.text(GF.width / 2, a.y + 30, "Survive " + level.time_limit_s + " s", 22);
    }

    /** The next thing of the stream: the same four draws per spawn as dodger.py's `fallers`. */
    spawn() {
      var L = this.L;
      var k = this.spawned++;
      var r1 = this.rand();
      var r2 = this.rand();
      var r3 = this.rand();
      var r4 = this.rand();
      var radius = L.size_min + r1 * (L.size_max - L.size_min);
      var star = this.params.stars && (k + 1) % 5 === 0;
      var f = {
        t0: (L.start_ms + k * L.spawn_ms) / 1000,
        x0: r2 * FIELD_W, // the edges are no refuge: a rock may hang half over either side
        r: radius,
        vy: L.speed_min + r3 * (L.speed_max - L.speed_min),
        vx: (r4 * 2 - 1) * L.drift,
        star: star,
        x: 0,
        y: 0,
      };
      var size = star ? 34 : radius * 2;
      f.img = this.sprite(0, 0, star ? "star" : "rock", size, size);
      f.spin = (r4 - 0.5) * 4;
      this.fallers.push(f);
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
      var speed = this.params.ship_speed;
      var held = (this.gf.held("right") ? 1 : 0) - (this.gf.held("left") ? 1 : 0);
      if (held) {
        this.shipX += held * speed * s;
      } else if (this.targetX !== null) {
        var delta = this.targetX - this.shipX;
        this.shipX += Math.max(-speed * s, Math.min(speed * s, delta));
      }
      this.shipX = Math.max(SHIP_HW, Math.min(FIELD_W - SHIP_HW, this.shipX));
      this.ship.x = this.fx + this.shipX;
      this.ship.angle = held * 12;
      while (this.spawned < this.total && (this.L.start_ms + this.spawned * this.L.spawn_ms) / 1000 - this.lead <= t) this.spawn();
      var hittable = this.clock >= this.hitUntil;
      this.ship.setAlpha(hittable ? 1 : Math.floor(this.clock / 110) % 2 ? 0.3 : 1);
      var keep = [];
      for (var i = 0; i < this.fallers.length; i++) {
        var f = this.fallers[i];
        f.x = f.x0 + f.vx * (t - f.t0);
        f.y = -f.r + f.vy * (t - f.t0);
        f.img.setPosition(this.fx + f.x, this.fy + f.y);
        f.img.setVisible(this.fy + f.y + f.r > this.area.y);
        f.img.angle += f.spin;
        if (f.y - f.r > FIELD_H || f.x < -f.r || f.x > FIELD_W + f.r) {
          f.img.destroy();
          if (!f.star) this.dodge();
          continue;
        }
        if (this.touches(f)) {
          if (f.star) {
            this.catchStar(f);
            continue;
          }
          if (hittable) {
            this.burst(f);
            if (!this.hit()) return;
            hittable = false;
            continue;
          }
        }
        keep.push(f);
      }
      this.fallers = keep;
      var left = this.L.time_limit_s - t;
      this.info.setText("Survive " + Math.max(0, Math.ceil(left)) + " s");
    }

    touches(f) {
      // The rock's circle against the ship's box.
      var cx = Math.max(this.shipX - SHIP_HW, Math.min(this.shipX + SHIP_HW, f.x));
      var cy = Math.max(SHIP_Y - SHIP_HH, Math.min(SHIP_Y + SHIP_HH, f.y));
      var dx = f.x - cx;
      var dy = f.y - cy;
      return dx * dx + dy * dy < f.r * f.r;
    }

    dodge() {
      this.dodged += 1;
      this.gf.addScore(1);
      if (this.dodged % 10 === 0) this.gf.cue("dodge");
    }

    catchStar(f) {
      this.stars += 1;
      var img = f.img;
      this.tweens.add({ targets: img, scaleX: img.scaleX * 1.8, scaleY: img.scaleY * 1.8, alpha: 0, duration: 220, onComplete: function () { img.destroy(); } });
      this.gf.cue("star");
      this.gf.addScore(this.gf.base * 2, this.fx + f.x, this.fy + f.y);
      this.gf.track("star_collected", { level: this.gf.levelIndex + 1, stars: this.stars });
    }

    burst(f) {
      var img = f.img;
      this.tweens.add({ targets: img, scaleX: img.scaleX * 2, scaleY: img.scaleY * 2, alpha: 0, duration: 260, onComplete: function () { img.destroy(); } });
    }

    /** A rock hit the ship: a life less, then a moment of safety. False when the game is over. */
    hit() {
      this.gf.cue("hit");
      this.gf.track("ship_hit", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
      this.cameras.main.shake(200, 0.012);
      this.hitUntil = this.clock + HIT_MS;
      return this.gf.loseLife("An asteroid hit you");
    }

    onTimeUp() {
      this.gf.completeLevel(); // survived the whole level
    }

    observe() {
      var rocks = [];
      var stars = [];
      this.fallers.forEach(function (f) {
        if (f.star) stars.push([f.x, f.y]);
        else rocks.push([f.x, f.y, f.r, f.vx, f.vy]);
      });
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        ship: this.shipX,
        y: SHIP_Y,
        half: [SHIP_HW, SHIP_HH],
        speed: this.params.ship_speed,
        origin: [this.fx, this.fy],
        width: FIELD_W,
        t: this.clock / 1000,
        safe: this.clock < this.hitUntil,
        rocks: rocks,
        stars: stars,
        dodged: this.dodged,
      };
    }
  }

  GF.registerMechanic("dodger", DodgerScene);
})();
