/* Shooter: slide the ship, it fires on its own; shoot the marching formation before it lands. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): the validator times the same march.
  var FIELD_W = 516;
  var FIELD_H = 600;
  var CELL_W = 56;
  var CELL_H = 46;
  var FORMATION_Y = 40;
  var SHIP_Y = 550;
  var SHIP_HW = 22;
  var SHIP_HH = 18;
  var LAND_Y = SHIP_Y - 60;
  var ALIEN_HW = 22;
  var ALIEN_HH = 18;
  var BOMB_R = 10;
  var HIT_MS = 1500;
  var FIRST_BOMB_MS = 1500;

  class ShooterScene extends GF.MechanicScene {
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
      g.lineStyle(2, this.palette.danger, 0.35);
      g.lineBetween(this.fx, this.fy + LAND_Y, this.fx + FIELD_W, this.fy + LAND_Y);
      this.layer.add(g);
      this.rand = this.gf.rng(ShooterScene.rngSeed(level, index));
      this.rows = level.formation.length;
      this.boxW = level.formation[0].length * CELL_W;
      this.ox = 0;
      this.oy = FORMATION_Y;
      this.dir = 1;
      this.aliens = [];
      for (var r = 0; r < this.rows; r++) {
        for (var c = 0; c < level.formation[r].length; c++) {
          var hp = Number(level.formation[r][c]);
          if (!hp) continue;
          var size = hp > 1 ? 50 : 42;
          this.aliens.push({ r: r, c: c, hp: hp, img: this.sprite(0, 0, "alien", size, size) });
        }
      }
      this.placeAliens();
      this.shots = [];
      this.bombs = [];
      this.shipX = FIELD_W / 2;
      this.targetX = null;
      this.ship = this.sprite(this.fx + this.shipX, this.fy + SHIP_Y, "ship", SHIP_HW * 2 + 8, SHIP_HH * 2 + 10);
      this.clock = 0;
      this.fireClock = 0;
      this.bombClock = -FIRST_BOMB_MS;
      this.hitUntil = 0;
      this.killed = 0;
    }

    alienX(al) {
      return this.ox + al.c * CELL_W + CELL_W / 2;
    }

    alienY(al) {
      return this.oy + al.r * CELL_H + CELL_H / 2;
    }

    placeAliens() {
      for (var i = 0; i < this.aliens.length; i++) {
        var al = this.aliens[i];
        al.img.setPosition(this.fx + this.alienX(al), this.fy + this.alienY(al));
      }
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
      this.ship.angle = held * 10;
      var hittable = this.clock >= this.hitUntil;
      this.ship.setAlpha(hittable ? 1 : Math.floor(this.clock / 110) % 2 ? 0.3 : 1);
      if (!this.march(s)) return;
      this.fire(dt);
      if (!this.moveShots(s)) return;
      this.dropBombs(dt);
      this.moveBombs(s, hittable);
    }

    /** The formation's box marches sideways and steps down at each edge. False when it landed. */
    march(s) {
      this.ox += this.dir * this.L.march_speed * s;
      if (this.ox + this.boxW > FIELD_W) {
        this.ox = FIELD_W - this.boxW;
        this.dir = -1;
        this.oy += this.L.drop;
      } else if (this.ox < 0) {
        this.ox = 0;
        this.dir = 1;
        this.oy += this.L.drop;
      }
      this.placeAliens();
      if (this.oy + this.rows * CELL_H >= LAND_Y) {
        this.gf.failLevel("The invaders landed");
        return false;
      }
      return true;
    }

    fire(dt) {
      this.fireClock += dt;
      while (this.fireClock >= this.params.fire_ms) {
        this.fireClock -= this.params.fire_ms;
        var img = this.sprite(this.fx + this.shipX, this.fy + SHIP_Y - SHIP_HH, "shot", 14, 28);
        this.shots.push({ x: this.shipX, y: SHIP_Y - SHIP_HH, img: img });
        this.gf.cue("shot");
      }
    }

    /** Shots fly up and hit the first invader they meet. False when the level was won. */
    moveShots(s) {
      var keep = [];
      for (var i = 0; i < this.shots.length; i++) {
        var shot = this.shots[i];
        shot.y -= this.params.shot_speed * s;
        var target = null;
        for (var k = 0; k < this.aliens.length; k++) {
          var al = this.aliens[k];
          if (Math.abs(shot.x - this.alienX(al)) <= ALIEN_HW + 4 && Math.abs(shot.y - this.alienY(al)) <= ALIEN_HH + 8) {
            target = al;
            break;
          }
        }
        if (target || shot.y < -20) {
          shot.img.destroy();
          if (target && this.strike(target)) return false;
          continue;
        }
        shot.img.setPosition(this.fx + shot.x, this.fy + shot.y);
        keep.push(shot);
      }
      this.shots = keep;
      return true;
    }

    /** A shot hits an invader: an armoured one loses its armour, another falls. True when the formation is gone. */
    strike(al) {
      al.hp -= 1;
      if (al.hp > 0) {
        al.img.setDisplaySize(42, 42);
        this.gf.addScore(Math.round(this.gf.base / 2));
        return false;
      }
      var img = al.img;
      this.aliens.splice(this.aliens.indexOf(al), 1);
      this.tweens.add({ targets: img, scaleX: img.scaleX * 1.8, scaleY: img.scaleY * 1.8, alpha: 0, duration: 220, onComplete: function () { img.destroy(); } });
      this.killed += 1;
      this.gf.cue("kill");
      this.gf.addScore(this.gf.base, this.fx + this.alienX(al), this.fy + this.alienY(al));
      this.gf.track("enemy_destroyed", { level: this.gf.levelIndex + 1, remaining: this.aliens.length });
      if (this.aliens.length === 0) {
        this.gf.completeLevel();
        return true;
      }
      return false;
    }

    /** Every bomb_ms an invader drawn from GF.rng drops a bomb: one draw per bomb, as flame.dart. */
    dropBombs(dt) {
      this.bombClock += dt;
      while (this.bombClock >= this.L.bomb_ms) {
        this.bombClock -= this.L.bomb_ms;
        var al = this.aliens[Math.floor(this.rand() * this.aliens.length)];
        var x = this.alienX(al);
        var y = this.alienY(al) + ALIEN_HH;
        this.bombs.push({ x: x, y: y, img: this.sprite(this.fx + x, this.fy + y, "bomb", BOMB_R * 2 + 4, BOMB_R * 2 + 4) });
      }
    }

    moveBombs(s, hittable) {
      var keep = [];
      for (var i = 0; i < this.bombs.length; i++) {
        var b = this.bombs[i];
        b.y += this.L.bomb_speed * s;
        b.img.setPosition(this.fx + b.x, this.fy + b.y);
        b.img.angle += 4;
        if (b.y - BOMB_R > FIELD_H) {
          b.img.destroy();
          continue;
        }
        if (hittable && Math.abs(b.x - this.shipX) < SHIP_HW + BOMB_R && Math.abs(b.y - SHIP_Y) < SHIP_HH + BOMB_R) {
          b.img.destroy();
          hittable = false;
          if (!this.hit()) return;
          continue;
        }
        keep.push(b);
      }
      this.bombs = keep;
    }

    /** A bomb hit the ship: a life less, then a moment of safety. False when the game is over. */
    hit() {
      this.gf.cue("hit");
      this.gf.track("ship_hit", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
      this.cameras.main.shake(200, 0.012);
      this.hitUntil = this.clock + HIT_MS;
      return this.gf.loseLife("A bomb hit your ship");
    }

    observe() {
      var self = this;
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        ship: this.shipX,
        y: SHIP_Y,
        half: [SHIP_HW, SHIP_HH],
        speed: this.params.ship_speed,
        shot_speed: this.params.shot_speed,
        origin: [this.fx, this.fy],
        width: FIELD_W,
        march: this.dir * this.L.march_speed,
        box: [this.ox, this.oy, this.boxW],
        aliens: this.aliens.map(function (al) {
          return [self.alienX(al), self.alienY(al), al.hp];
        }),
        bombs: this.bombs.map(function (b) {
          return [b.x, b.y, self.L.bomb_speed];
        }),
        safe: this.clock < this.hitUntil,
        killed: this.killed,
      };
    }
  }

  GF.registerMechanic("shooter", ShooterScene);
})();
