/* Asteroids: turn the ship and shoot the drifting rocks; big ones split, small ones burst. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py).
  var FIELD_W = 516;
  var FIELD_H = 600;
  var RADIUS = { 1: 16, 2: 28, 3: 44 };
  var SPEED_UP = { 1: 1.8, 2: 1.4, 3: 1.0 };
  var SHIP_R = 16;
  var SHOT_LIFE_MS = 900;
  var HIT_MS = 2000;
  var AIM_TOLERANCE = 6; // degrees: a tap fires once the ship points this close to it
  var DRAG = 0.6; // share of the ship's speed kept per second

  function wrapAngle(a) {
    a = a % 360;
    if (a > 180) a -= 360;
    if (a < -180) a += 360;
    return a;
  }

  class AsteroidsScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return level.seed;
    }

    buildLevel(level, index) {
      var a = this.area;
      this.L = level;
      this.fx = a.x;
      this.fy = a.y + a.h - FIELD_H - 8;
      var g = this.add.graphics();
      g.fillStyle(this.palette.surface, 0.28);
      g.fillRoundedRect(this.fx - 4, this.fy - 4, FIELD_W + 8, FIELD_H + 8, 10);
      g.lineStyle(2, this.palette.primary, 0.5);
      g.strokeRoundedRect(this.fx - 4, this.fy - 4, FIELD_W + 8, FIELD_H + 8, 10);
      this.layer.add(g);
      this.rand = this.gf.rng(AsteroidsScene.rngSeed(level, index));
      this.rocks = [];
      for (var i = 0; i < level.rocks.length; i++) {
        var r = level.rocks[i];
        this.addRock(r.x, r.y, r.heading, r.size);
      }
      this.shots = [];
      this.ship = this.sprite(0, 0, "ship", SHIP_R * 2 + 12, SHIP_R * 2 + 12);
      this.clock = 0;
      this.hitUntil = 0;
      this.destroyed = 0;
      this.respawn();
    }

    respawn() {
      this.sx = FIELD_W / 2;
      this.sy = FIELD_H / 2;
      this.vx = 0;
      this.vy = 0;
      this.angle = -90;
      this.aim = null;
      this.pendingShot = false;
      this.cooldown = 0;
      this.placeShip();
    }

    placeShip() {
      this.ship.setPosition(this.fx + this.sx, this.fy + this.sy);
      this.ship.angle = this.angle + 90; // the frame points up
    }

    addRock(x, y, heading, size) {
      var speed = this.L.speed * SPEED_UP[size];
      var rad = (heading * Math.PI) / 180;
      var r = RADIUS[size];
      var rock = { x: x, y: y, vx: Math.cos(rad) * speed, vy: Math.sin(rad) * speed, heading: heading, size: size, r: r };
      rock.img = this.sprite(this.fx + x, this.fy + y, "rock", r * 2, r * 2);
      rock.spin = ((heading % 7) - 3) * 0.6;
      this.rocks.push(rock);
      return rock;
    }

    onAction(action) {
      if (action === "left" || action === "right") this.aim = null; // the keys take over
      if (action === "primary") this.fire();
    }

    onPointer(type, x, y, p) {
      if (type === "up" || (type === "move" && !(p && p.isDown))) return;
      this.aim = { x: x - this.fx, y: y - this.fy };
      if (type === "down") this.pendingShot = true;
    }

    tick(time, dt) {
      this.clock += dt;
      var s = dt / 1000;
      var turn = this.params.turn_speed * s;
      var held = (this.gf.held("right") ? 1 : 0) - (this.gf.held("left") ? 1 : 0);
      var diff = null;
      if (held) {
        this.angle = wrapAngle(this.angle + held * turn);
      } else if (this.aim) {
        diff = wrapAngle((Math.atan2(this.aim.y - this.sy, this.aim.x - this.sx) * 180) / Math.PI - this.angle);
        this.angle = wrapAngle(this.angle + Math.max(-turn, Math.min(turn, diff)));
        diff -= Math.max(-turn, Math.min(turn, diff));
      }
      if (this.gf.held("up") && this.params.thrust > 0) {
        var rad = (this.angle * Math.PI) / 180;
        this.vx += Math.cos(rad) * this.params.thrust * s;
        this.vy += Math.sin(rad) * this.params.thrust * s;
      }
      var keep = Math.pow(DRAG, s);
      this.vx *= keep;
      this.vy *= keep;
      this.sx = (this.sx + this.vx * s + FIELD_W) % FIELD_W;
      this.sy = (this.sy + this.vy * s + FIELD_H) % FIELD_H;
      this.cooldown -= dt;
      if (this.pendingShot && diff !== null && Math.abs(diff) <= AIM_TOLERANCE) this.fire();
      if (this.gf.held("primary")) this.fire();
      this.placeShip();
      var hittable = this.clock >= this.hitUntil;
      this.ship.setAlpha(hittable ? 1 : Math.floor(this.clock / 110) % 2 ? 0.3 : 1);
      this.moveRocks(s);
      if (!this.moveShots(dt)) return;
      if (hittable) this.checkShip();
    }

    fire() {
      if (this.cooldown > 0) return;
      this.cooldown = this.params.fire_ms;
      this.pendingShot = false;
      var rad = (this.angle * Math.PI) / 180;
      var x = this.sx + Math.cos(rad) * SHIP_R;
      var y = this.sy + Math.sin(rad) * SHIP_R;
      var v = this.params.shot_speed;
      this.shots.push({ x: x, y: y, vx: Math.cos(rad) * v, vy: Math.sin(rad) * v, age: 0, img: this.sprite(this.fx + x, this.fy + y, "shot", 12, 12) });
      this.gf.cue("shot");
    }

    moveRocks(s) {
      for (var i = 0; i < this.rocks.length; i++) {
        var r = this.rocks[i];
        r.x += r.vx * s;
        r.y += r.vy * s;
        // The edges wrap: a rock leaving one side comes back on the other.
        if (r.x < -r.r) r.x += FIELD_W + 2 * r.r;
        if (r.x > FIELD_W + r.r) r.x -= FIELD_W + 2 * r.r;
        if (r.y < -r.r) r.y += FIELD_H + 2 * r.r;
        if (r.y > FIELD_H + r.r) r.y -= FIELD_H + 2 * r.r;
        r.img.setPosition(this.fx + r.x, this.fy + r.y);
        r.img.angle += r.spin;
        var inside = r.x > -r.r && r.x < FIELD_W + r.r && r.y > -r.r && r.y < FIELD_H + r.r;
        r.img.setVisible(inside && r.y > -r.r / 2 && r.y < FIELD_H + r.r / 2);
      }
    }

    /** Shots fly straight and burst the first rock they touch. False when the level was won. */
    moveShots(dt) {
      var s = dt / 1000;
      var keep = [];
      for (var i = 0; i < this.shots.length; i++) {
        var shot = this.shots[i];
        shot.x += shot.vx * s;
        shot.y += shot.vy * s;
        shot.age += dt;
        var hit = null;
        for (var k = 0; k < this.rocks.length; k++) {
          var r = this.rocks[k];
          var dx = shot.x - r.x;
          var dy = shot.y - r.y;
          if (dx * dx + dy * dy < (r.r + 6) * (r.r + 6)) {
            hit = r;
            break;
          }
        }
        var gone = shot.age > SHOT_LIFE_MS || shot.x < 0 || shot.x > FIELD_W || shot.y < 0 || shot.y > FIELD_H;
        if (hit || gone) {
          shot.img.destroy();
          if (hit && this.burst(hit)) return false;
          continue;
        }
        shot.img.setPosition(this.fx + shot.x, this.fy + shot.y);
        keep.push(shot);
      }
      this.shots = keep;
      return true;
    }

    /** A shot hit `rock`: it splits in two smaller ones (two draws of GF.rng) or bursts. True when the field is clear. */
    burst(rock) {
      this.rocks.splice(this.rocks.indexOf(rock), 1);
      var img = rock.img;
      this.tweens.add({ targets: img, scaleX: img.scaleX * 1.6, scaleY: img.scaleY * 1.6, alpha: 0, duration: 200, onComplete: function () { img.destroy(); } });
      if (rock.size > 1) {
        var heading = (Math.atan2(rock.vy, rock.vx) * 180) / Math.PI;
        var r1 = this.rand();
        var r2 = this.rand();
        this.addRock(rock.x, rock.y, (heading + 20 + r1 * 40 + 360) % 360, rock.size - 1);
        this.addRock(rock.x, rock.y, (heading - 20 - r2 * 40 + 720) % 360, rock.size - 1);
      }
      this.destroyed += 1;
      this.gf.cue("burst");
      this.gf.addScore(this.gf.base * (4 - rock.size), this.fx + rock.x, this.fy + rock.y);
      this.gf.track("rock_destroyed", { level: this.gf.levelIndex + 1, size: rock.size, remaining: this.rocks.length });
      if (this.rocks.length === 0) {
        this.gf.completeLevel();
        return true;
      }
      return false;
    }

    checkShip() {
      for (var i = 0; i < this.rocks.length; i++) {
        var r = this.rocks[i];
        var dx = r.x - this.sx;
        var dy = r.y - this.sy;
        if (dx * dx + dy * dy < (r.r + SHIP_R) * (r.r + SHIP_R)) {
          this.gf.cue("hit");
          this.gf.track("ship_hit", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
          this.cameras.main.shake(200, 0.012);
          this.hitUntil = this.clock + HIT_MS;
          if (this.gf.loseLife("A rock hit your ship")) this.respawn();
          return;
        }
      }
    }

    observe() {
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        ship: [this.sx, this.sy],
        angle: this.angle,
        origin: [this.fx, this.fy],
        size: [FIELD_W, FIELD_H],
        turn_speed: this.params.turn_speed,
        shot_speed: this.params.shot_speed,
        rocks: this.rocks.map(function (r) {
          return [r.x, r.y, r.vx, r.vy, r.r];
        }),
        safe: this.clock < this.hitUntil,
        destroyed: this.destroyed,
      };
    }
  }

  GF.registerMechanic("asteroids", AsteroidsScene);
})();
