/* Platformer: run and jump across one-way platforms to the flag; spikes, pits and enemies hurt. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): the validator's search uses the same numbers.
  var PLAYER_W = 32;
  var PLAYER_H = 44;
  var SPIKE_H = 16;
  var ENEMY_W = 34;
  var ENEMY_H = 30;
  var FLAG_W = 28;
  var FLAG_H = 64;
  var PLATFORM_T = 18; // drawn thickness: platforms are one-way, only the top counts
  var COYOTE_MS = 110; // a jump just after running off an edge still counts
  var EDGE_SAFE = 36; // a respawn point keeps this far from a platform's ends
  var BUFFER_MS = 130; // a jump pressed just before landing still happens
  var JUMP_CUT = 0.45; // releasing the jump early cuts the rise: short hops
  var MAX_FALL = 1500;
  var HURT_MS = 1300;
  var SUBSTEP_PX = 6;

  class PlatformerScene extends GF.MechanicScene {
    buildLevel(level) {
      var a = this.area;
      var self = this;
      this.L = level;
      this.speed = this.params.run_speed;
      this.gravity = this.params.gravity;
      this.jumpV = this.params.jump_velocity;
      this.baseY = a.y + a.h - 4; // world y = 0 (below it: a fall)
      this.world = this.add.container(a.x, 0);
      this.layer.add(this.world);
      var g = this.add.graphics();
      this.world.add(g);
      // The bottom of the world is deadly: a glowing band says so.
      g.fillStyle(this.palette.danger, 0.3);
      g.fillRect(-a.x, this.baseY - 10, level.width + 2 * a.w, 14);
      this.platforms = level.platforms.map(function (p) {
        g.fillStyle(self.palette.secondary, 1);
        g.fillRoundedRect(p[0], self.baseY - p[1], p[2], PLATFORM_T, 6);
        g.fillStyle(self.palette.accent, 0.85);
        g.fillRect(p[0] + 3, self.baseY - p[1], p[2] - 6, 4);
        return { x: p[0], top: p[1], w: p[2] };
      });
      this.spikes = level.spikes.map(function (s) {
        var n = Math.max(1, Math.round(s[2] / 16));
        var each = s[2] / n;
        for (var i = 0; i < n; i++) {
          self.worldSprite(s[0] + each * (i + 0.5), self.baseY - s[1] - SPIKE_H / 2, "spike", each, SPIKE_H + 2);
        }
        return { x: s[0], top: s[1], w: s[2] };
      });
      this.enemies = level.enemies.map(function (e) {
        var img = self.worldSprite(e[0], self.baseY - e[2] - ENEMY_H / 2, "enemy", ENEMY_W + 4, ENEMY_H + 4);
        return { x1: e[0], x2: e[1], top: e[2], speed: e[3], x: e[0], img: img, alive: true };
      });
      this.gems = level.gems.map(function (p) {
        var img = self.worldSprite(p[0], self.baseY - p[1], "gem", 26, 26);
        self.tweens.add({ targets: img, y: img.y - 6, yoyo: true, repeat: -1, duration: 520 });
        return { x: p[0], y: p[1], img: img, taken: false };
      });
      this.goal = level.goal;
      this.flag = this.worldSprite(level.goal[0], this.baseY - level.goal[1] - FLAG_H / 2, "flag", FLAG_W + 12, FLAG_H);
      this.tweens.add({ targets: this.flag, angle: 6, yoyo: true, repeat: -1, duration: 600 });
      this.player = this.worldSprite(level.start[0], 0, "player", PLAYER_W + 8, PLAYER_H + 6);
      this.px = level.start[0];
      this.py = level.start[1];
      this.vx = 0;
      this.vy = 0;
      this.ground = this.platformUnder(this.px, this.py);
      this.grounded = !!this.ground;
      this.safe = { x: this.px, y: this.py, ground: this.ground };
      this.clock = 0;
      this.leftGroundAt = -1e9;
      this.jumpAt = -1e9;
      this.hurtUntil = 0;
      this.pointerDir = 0;
      this.pointerJump = false;
      this.gemsTaken = 0;
      this.render();
    }

    worldSprite(x, y, frame, w, h) {
      var img = this.sprite(x, y, frame, w, h);
      this.world.add(img);
      return img;
    }

    platformUnder(x, y) {
      for (var i = 0; i < this.platforms.length; i++) {
        var p = this.platforms[i];
        if (Math.abs(p.top - y) < 1 && x >= p.x && x <= p.x + p.w) return p;
      }
      return null;
    }

    onAction(action) {
      if (action === "primary" || action === "up") this.jumpAt = this.clock;
    }

    onActionUp(action) {
      if ((action === "primary" || action === "up") && this.vy > 0) this.vy *= JUMP_CUT;
    }

    onPointer(type, x, y) {
      // Without on-screen buttons: hold the left or right third to run, tap the middle to jump.
      var layout = GF.spec.controls.touch_layout;
      if (layout === "buttons" || layout === "dpad") return;
      if (type === "up") {
        if (this.pointerJump && this.vy > 0) this.vy *= JUMP_CUT;
        this.pointerJump = false;
        this.pointerDir = 0;
        return;
      }
      if (y < this.area.y || y > this.area.y + this.area.h) return;
      this.pointerDir = x < GF.width / 3 ? -1 : x > (2 * GF.width) / 3 ? 1 : 0;
      if (type === "down" && this.pointerDir === 0) {
        this.jumpAt = this.clock;
        this.pointerJump = true;
      }
    }

    tick(time, dt) {
      this.clock += dt;
      var dir = (this.gf.held("right") ? 1 : 0) - (this.gf.held("left") ? 1 : 0) || this.pointerDir;
      this.vx = dir * this.speed;
      if (dir) this.player.setFlipX(dir < 0);
      this.moveEnemies(dt);
      var canJump = this.grounded || this.clock - this.leftGroundAt <= COYOTE_MS;
      if (this.clock - this.jumpAt <= BUFFER_MS && canJump) {
        this.jumpAt = -1e9;
        this.grounded = false;
        this.ground = null;
        this.leftGroundAt = -1e9;
        this.vy = this.jumpV;
        this.gf.cue("jump");
      }
      var s = dt / 1000;
      var n = Math.max(1, Math.ceil((Math.max(Math.abs(this.vx), Math.abs(this.vy)) * s) / SUBSTEP_PX));
      for (var k = 0; k < n; k++) {
        if (!this.step(s / n)) return;
      }
      if (this.hurtUntil > this.clock) this.player.setAlpha(Math.floor(this.clock / 110) % 2 ? 0.35 : 1);
      else this.player.setAlpha(1);
      this.render();
    }

    moveEnemies(dt) {
      var t = this.clock / 1000;
      this.enemies.forEach(function (e) {
        if (!e.alive) return;
        var span = e.x2 - e.x1;
        var d = (t * e.speed) % (2 * span);
        e.x = e.x1 + (d <= span ? d : 2 * span - d);
        e.img.x = e.x;
        e.img.setFlipX(d > span);
      });
    }

    /** One substep; false when the level ended or a life was lost. */
    step(h) {
      this.px = Math.max(PLAYER_W / 2, Math.min(this.L.width - PLAYER_W / 2, this.px + this.vx * h));
      if (this.grounded && (this.px < this.ground.x || this.px > this.ground.x + this.ground.w)) {
        this.grounded = false;
        this.ground = null;
        this.leftGroundAt = this.clock;
      }
      var prev = this.py;
      if (!this.grounded) {
        this.py += this.vy * h - (this.gravity * h * h) / 2;
        this.vy = Math.max(-MAX_FALL, this.vy - this.gravity * h);
        if (this.vy <= 0) {
          var best = null;
          for (var i = 0; i < this.platforms.length; i++) {
            var p = this.platforms[i];
            if (this.px >= p.x && this.px <= p.x + p.w && prev >= p.top - 0.5 && this.py <= p.top) {
              if (!best || p.top > best.top) best = p;
            }
          }
          if (best) {
            this.py = best.top;
            this.vy = 0;
            this.grounded = true;
            this.ground = best;
          }
        }
      }
      var left = this.px - PLAYER_W / 2;
      var right = this.px + PLAYER_W / 2;
      var hurtable = this.hurtUntil <= this.clock;
      for (var si = 0; si < this.spikes.length && hurtable; si++) {
        var sp = this.spikes[si];
        if (left < sp.x + sp.w - 3 && right > sp.x + 3 && this.py < sp.top + SPIKE_H - 4 && this.py + PLAYER_H > sp.top) {
          return this.hurt("Ouch, spikes!");
        }
      }
      for (var ei = 0; ei < this.enemies.length; ei++) {
        var e = this.enemies[ei];
        if (!e.alive) continue;
        if (left < e.x + ENEMY_W / 2 && right > e.x - ENEMY_W / 2 && this.py < e.top + ENEMY_H && this.py + PLAYER_H > e.top) {
          if (this.vy < 0 && prev >= e.top + ENEMY_H * 0.5) this.stomp(e);
          else if (hurtable) return this.hurt("An enemy got you");
        }
      }
      for (var gi = 0; gi < this.gems.length; gi++) {
        var gem = this.gems[gi];
        if (!gem.taken && Math.abs(gem.x - this.px) < PLAYER_W / 2 + 12 && gem.y > this.py - 12 && gem.y < this.py + PLAYER_H + 12) {
          this.takeGem(gem);
        }
      }
      if (Math.abs(this.goal[0] - this.px) < (PLAYER_W + FLAG_W) / 2 && this.py < this.goal[1] + FLAG_H && this.py + PLAYER_H > this.goal[1]) {
        this.render();
        this.gf.cue("goal");
        this.gf.completeLevel();
        return false;
      }
      if (this.py < -80) return this.hurt("You fell");
      if (this.grounded && hurtable) this.rememberSafe();
      return true;
    }

    /** Where to come back after a hit: here, pulled in from the platform's ends, unless danger is near. */
    rememberSafe() {
      var p = this.ground;
      var x = Math.max(p.x + Math.min(EDGE_SAFE, p.w / 2), Math.min(p.x + p.w - Math.min(EDGE_SAFE, p.w / 2), this.px));
      for (var i = 0; i < this.spikes.length; i++) {
        var s = this.spikes[i];
        if (s.top === p.top && x > s.x - 60 && x < s.x + s.w + 60) return;
      }
      for (var j = 0; j < this.enemies.length; j++) {
        var e = this.enemies[j];
        if (e.alive && e.top === p.top && Math.abs(e.x - x) < 110) return;
      }
      this.safe = { x: x, y: this.py, ground: p };
    }

    stomp(e) {
      e.alive = false;
      var img = e.img;
      this.tweens.add({ targets: img, scaleY: 0.1, alpha: 0, duration: 200, onComplete: function () { img.destroy(); } });
      this.vy = this.jumpV * 0.55;
      this.gf.cue("stomp");
      this.gf.addScore(this.gf.base * 3, this.area.x + e.x - this.camX, this.baseY - e.top - ENEMY_H);
      this.gf.track("enemy_stomped", { level: this.gf.levelIndex + 1 });
    }

    takeGem(gem) {
      gem.taken = true;
      this.gemsTaken += 1;
      var img = gem.img;
      this.tweens.killTweensOf(img);
      this.tweens.add({ targets: img, y: img.y - 30, alpha: 0, duration: 240, onComplete: function () { img.destroy(); } });
      this.gf.cue("gem");
      this.gf.addScore(this.gf.base * 2, this.area.x + gem.x - this.camX, this.baseY - gem.y);
      this.gf.track("gem_collected", { level: this.gf.levelIndex + 1, gems: this.gemsTaken });
    }

    hurt(cause) {
      this.gf.cue("hurt");
      this.gf.track("player_hurt", { level: this.gf.levelIndex + 1, cause: cause });
      this.cameras.main.shake(160, 0.01);
      if (this.gf.loseLife(cause)) this.respawn();
      return false;
    }

    /** Back at the last safe spot, blinking (unhurtable) for a moment. */
    respawn() {
      this.px = this.safe.x;
      this.py = this.safe.y;
      this.vx = 0;
      this.vy = 0;
      this.ground = this.safe.ground;
      this.grounded = !!this.ground;
      this.jumpAt = -1e9;
      this.hurtUntil = this.clock + HURT_MS;
      this.render();
    }

    render() {
      var a = this.area;
      this.camX = Math.max(0, Math.min(Math.max(0, this.L.width - a.w), this.px - a.w * 0.4));
      this.world.x = a.x - this.camX;
      this.player.x = this.px;
      this.player.y = this.baseY - this.py - PLAYER_H / 2;
    }

    observe() {
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        x: this.px,
        y: this.py,
        vx: this.vx,
        vy: this.vy,
        grounded: this.grounded,
        hurt: this.hurtUntil > this.clock,
        enemies: this.enemies.filter(function (e) { return e.alive; }).map(function (e) { return [e.x, e.top]; }),
        gems: this.gemsTaken,
      };
    }
  }

  GF.registerMechanic("platformer", PlatformerScene);
})();
