/* Endless runner: run on, jump over blocks and pits, stay under drones, reach the flag.
 *
 * Multiplayer race (gf.multiplayer.active): everyone runs the same track from the same start; each
 * game sends where its runner is ({kind: "pos", x, y}, a few times a second) and shows the others
 * as ghosts. A crash costs time, not a life. Crossing the line sends {kind: "finish"}; the first
 * finish the server relays wins, and the host reports the outcome (distances as scores).
 */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): the validator's search uses the same geometry.
  var PLAYER_W = 40;
  var PLAYER_H = 56;
  var DRONE_H = 34;
  var POINTS_EVERY_PX = 50;
  var SUBSTEP_PX = 6; // never move further than this between collision checks
  var SCREEN_X = 96; // where the runner's left edge sits on screen
  var BUFFER_MS = 120; // a jump pressed this long before landing still happens
  var RESPAWN_MS = 900;

  class RunnerScene extends GF.MechanicScene {
    buildLevel(level) {
      var a = this.area;
      this.L = level;
      this.speed = level.speed * this.params.speed_scale;
      this.gravity = this.params.gravity;
      this.jumpV = this.params.jump_velocity;
      this.groundY = a.y + a.h - 90;
      this.blocks = level.blocks.slice().sort(function (p, q) { return p[0] - q[0]; });
      this.pits = level.pits.slice().sort(function (p, q) { return p[0] - q[0]; });
      this.drones = level.drones.slice().sort(function (p, q) { return p[0] - q[0]; });
      this.world = this.add.container(0, 0);
      this.layer.add(this.world);
      this.drawGround(level);
      var self = this;
      this.blocks.forEach(function (b) {
        self.worldSprite(b[0] + b[1] / 2, self.groundY - b[2] / 2, "block", b[1], b[2]);
      });
      this.drones.forEach(function (d) {
        var img = self.worldSprite(d[0] + d[2] / 2, self.groundY - d[1] - DRONE_H / 2, "drone", d[2], DRONE_H + 6);
        self.tweens.add({ targets: img, scaleY: img.scaleY * 0.9, yoyo: true, repeat: -1, duration: 380 });
      });
      this.coins = level.coins.map(function (c) {
        var img = self.worldSprite(c[0], self.groundY - c[1], "coin", 28, 28);
        return { x: c[0], alt: c[1], img: img, taken: false };
      });
      this.flag = this.worldSprite(level.length + PLAYER_W + 24, this.groundY - 36, "flag", 48, 72);
      this.player = this.sprite(a.x + SCREEN_X + PLAYER_W / 2, this.groundY - PLAYER_H / 2, "runner", PLAYER_W + 8, PLAYER_H + 4);
      this.info = this.text(GF.width / 2, a.y + 26, "", 22);
      this.px = 0;
      this.alt = 0;
      this.vy = 0;
      this.airborne = false;
      this.falling = false;
      this.started = false;
      this.frozen = 0;
      this.buffered = -1;
      this.clock = 0;
      this.nextPointAt = POINTS_EVERY_PX;
      this.coinsTaken = 0;
      this.race = this.gf.multiplayer.active;
      this.finished = false;
      this.decided = false;
      this.sentAt = 0;
      this.ghosts = {};
      this.bindRace();
      this.render();
      this.info.setText(this.race ? "Get ready to race!" : "Tap or press Space to run");
    }

    onLevelStart() {
      if (!this.race) return;
      // Everyone starts together: the race runs from the round's start, no tap needed.
      this.started = true;
      this.info.setText("");
    }

    bindRace() {
      if (this.raceBound) return;
      this.raceBound = true;
      var self = this;
      this.gf.multiplayer.on("pos", function (data, from) {
        if (!self.race || from === self.gf.multiplayer.seat || typeof data.x !== "number") return;
        self.ghost(from).x = data.x;
        self.ghost(from).y = typeof data.y === "number" ? data.y : 0;
        self.renderGhosts();
      });
      this.gf.multiplayer.on("finish", function (data, from) {
        if (!self.race) return;
        if (from !== self.gf.multiplayer.seat) {
          self.ghost(from).x = self.L.length;
          self.gf.toast(self.playerName(from) + " finished!", 900);
        }
        if (self.gf.multiplayer.isHost && !self.decided) {
          // The first finish in the server's order wins.
          self.decided = true;
          var scores = {};
          scores[self.gf.multiplayer.seat] = Math.round(Math.min(self.px, self.L.length) / POINTS_EVERY_PX);
          Object.keys(self.ghosts).forEach(function (seat) {
            scores[seat] = Math.round(Math.min(self.ghosts[seat].x, self.L.length) / POINTS_EVERY_PX);
          });
          scores[from] = Math.round(self.L.length / POINTS_EVERY_PX);
          self.gf.multiplayer.send({ kind: "outcome", winner_seat: from, scores: scores });
        }
      });
    }

    playerName(seat) {
      var name = "Seat " + (seat + 1);
      this.gf.multiplayer.players.forEach(function (p) {
        if (p.seat === seat) name = p.username;
      });
      return name;
    }

    /** Another runner, drawn faint in the track's coordinates. */
    ghost(seat) {
      if (!this.ghosts[seat]) {
        var img = this.worldSprite(PLAYER_W / 2, this.groundY - PLAYER_H / 2, "runner", PLAYER_W + 8, PLAYER_H + 4);
        var tints = [0xffffff, this.palette.accent, this.palette.danger, this.palette.secondary];
        img.setAlpha(0.45).setTint(tints[seat % tints.length]);
        var label = this.add.text(0, 0, this.playerName(seat), { fontFamily: "DejaVu Sans, Verdana, Arial, sans-serif", fontSize: "16px", color: this.palette.css.text });
        label.setOrigin(0.5, 1).setAlpha(0.8);
        this.world.add(label);
        this.ghosts[seat] = { x: 0, y: 0, img: img, label: label };
      }
      return this.ghosts[seat];
    }

    renderGhosts() {
      var self = this;
      Object.keys(this.ghosts).forEach(function (seat) {
        var g = self.ghosts[seat];
        g.img.setPosition(g.x + PLAYER_W / 2, self.groundY - g.y - PLAYER_H / 2);
        g.label.setPosition(g.x + PLAYER_W / 2, self.groundY - g.y - PLAYER_H - 6);
      });
    }

    worldSprite(x, y, frame, w, h) {
      var img = this.sprite(x, y, frame, w, h);
      this.world.add(img);
      return img;
    }

    drawGround(level) {
      var a = this.area;
      var g = this.add.graphics();
      this.world.add(g);
      var bottom = a.y + a.h;
      var edges = [-SCREEN_X - 40];
      this.pits.forEach(function (p) {
        edges.push(p[0], p[0] + p[1]);
      });
      edges.push(level.length + GF.width + 200);
      for (var i = 0; i < edges.length; i += 2) {
        var x0 = edges[i];
        var x1 = edges[i + 1];
        if (x1 <= x0) continue;
        g.fillStyle(this.palette.secondary, 1);
        g.fillRect(x0, this.groundY, x1 - x0, bottom - this.groundY);
        g.fillStyle(this.palette.accent, 0.9);
        g.fillRect(x0, this.groundY, x1 - x0, 5);
      }
      // Distance marks every 10 m, and the finish line.
      g.fillStyle(this.palette.text, 0.35);
      for (var x = 500; x < level.length; x += 500) g.fillRect(x, this.groundY + 12, 4, 18);
      g.fillStyle(this.palette.accent, 1);
      g.fillRect(level.length + PLAYER_W, this.groundY - 4, 6, bottom - this.groundY);
    }

    jump() {
      if (!this.started) {
        this.started = true;
        this.info.setText("");
      }
      if (this.frozen > 0 || this.falling) return;
      if (this.airborne) {
        this.buffered = this.clock + BUFFER_MS; // pressed a little early: jump on landing
        return;
      }
      this.airborne = true;
      this.vy = this.jumpV;
      this.gf.cue("jump");
    }

    onAction(action) {
      if (action === "primary" || action === "up") this.jump();
    }

    onPointer(type) {
      // With on-screen buttons the jump button does it; a tap anywhere does it otherwise.
      if (type === "down" && GF.spec.controls.touch_layout !== "buttons") this.jump();
    }

    pitUnder(x) {
      for (var i = 0; i < this.pits.length; i++) {
        var p = this.pits[i];
        if (x > p[0] && x < p[0] + p[1]) return true;
      }
      return false;
    }

    overlaps(x0, x1, y0, y1) {
      // The runner's box against a box in track coordinates (altitudes y0..y1).
      return this.px < x1 && this.px + PLAYER_W > x0 && this.alt < y1 && this.alt + PLAYER_H > y0;
    }

    tick(time, dt) {
      this.clock += dt;
      if (this.race && this.started && !this.finished && this.clock - this.sentAt >= 150) {
        this.sentAt = this.clock;
        this.gf.multiplayer.send({ kind: "pos", x: Math.round(this.px), y: Math.round(this.alt) });
      }
      if (this.finished) return;
      if (!this.started) {
        this.player.y = this.groundY - PLAYER_H / 2 - Math.abs(Math.sin(this.clock / 220)) * 6;
        return;
      }
      if (this.frozen > 0) {
        this.frozen -= dt;
        this.player.setAlpha(Math.floor(this.frozen / 120) % 2 ? 0.35 : 1);
        if (this.frozen <= 0) this.player.setAlpha(1);
        return;
      }
      var s = dt / 1000;
      var n = Math.max(1, Math.ceil((this.speed * s) / SUBSTEP_PX));
      var h = s / n;
      for (var k = 0; k < n; k++) {
        if (!this.step(h)) return;
      }
      this.render();
    }

    /** One substep of `h` seconds; false when the level ended or the runner crashed. */
    step(h) {
      this.px += this.speed * h;
      if (this.airborne) {
        // Exact for constant gravity: the arc does not depend on the frame rate.
        this.alt += this.vy * h - (this.gravity * h * h) / 2;
        this.vy -= this.gravity * h;
      }
      var overPit = this.pitUnder(this.px + PLAYER_W / 2);
      if (this.falling) {
        if (this.alt < -PLAYER_H * 0.6 || (!overPit && this.alt < -4)) return this.crash("You fell into a pit");
      } else if (this.airborne && this.alt <= 0 && this.vy <= 0) {
        if (overPit) {
          this.falling = true;
        } else {
          this.alt = 0;
          this.vy = 0;
          this.airborne = false;
          if (this.buffered >= this.clock) {
            this.buffered = -1;
            this.jump();
          }
        }
      } else if (!this.airborne && overPit) {
        this.airborne = true;
        this.falling = true;
        this.vy = 0;
      }
      for (var i = 0; i < this.blocks.length; i++) {
        var b = this.blocks[i];
        if (b[0] > this.px + PLAYER_W) break;
        if (this.overlaps(b[0], b[0] + b[1], 0, b[2])) return this.crash("You hit a block");
      }
      for (var j = 0; j < this.drones.length; j++) {
        var d = this.drones[j];
        if (d[0] > this.px + PLAYER_W) break;
        if (this.overlaps(d[0], d[0] + d[2], d[1], d[1] + DRONE_H)) return this.crash("A drone got you");
      }
      for (var c = 0; c < this.coins.length; c++) {
        var coin = this.coins[c];
        if (coin.taken || coin.x > this.px + PLAYER_W + 14 || coin.x < this.px - 14) continue;
        if (coin.alt > this.alt - 14 && coin.alt < this.alt + PLAYER_H + 14) this.takeCoin(coin);
      }
      while (this.px >= this.nextPointAt) {
        this.nextPointAt += POINTS_EVERY_PX;
        this.gf.addScore(1);
      }
      if (this.px >= this.L.length) {
        this.render();
        if (this.race) {
          this.finished = true;
          this.gf.cue("coin");
          this.info.setText("Finished!");
          this.gf.multiplayer.send({ kind: "finish", x: Math.round(this.px), ms: Math.round(this.clock) });
          return false;
        }
        this.gf.completeLevel();
        return false;
      }
      return true;
    }

    takeCoin(coin) {
      coin.taken = true;
      this.coinsTaken += 1;
      var img = coin.img;
      this.tweens.add({ targets: img, y: img.y - 40, alpha: 0, duration: 250, onComplete: function () { img.destroy(); } });
      this.gf.cue("coin");
      this.gf.addScore(this.gf.base, this.area.x + SCREEN_X + (coin.x - this.px), this.groundY - coin.alt);
      this.gf.track("coin_collected", { level: this.gf.levelIndex + 1, coins: this.coinsTaken });
    }

    crash(cause) {
      this.gf.cue("crash");
      this.gf.track("runner_crashed", { level: this.gf.levelIndex + 1, cause: cause, distance: Math.round(this.px) });
      this.cameras.main.shake(180, 0.012);
      this.render();
      if (this.race) this.respawn(); // a crash costs time in a race, never the race
      else if (this.gf.loseLife(cause)) this.respawn();
      return false;
    }

    /** Back on safe ground a little before the crash, frozen (blinking) for a moment. */
    respawn() {
      var x = Math.max(0, this.px - 260);
      while (x > 0 && !this.safeAt(x)) x -= 10;
      this.px = Math.max(0, x);
      this.alt = 0;
      this.vy = 0;
      this.airborne = false;
      this.falling = false;
      this.buffered = -1;
      this.frozen = RESPAWN_MS;
      this.render();
    }

    safeAt(x) {
      var lo = x - 80;
      var hi = x + PLAYER_W + 120;
      if (this.pitUnder(x + PLAYER_W / 2) || this.pitUnder(x + PLAYER_W / 2 + 60)) return false;
      for (var i = 0; i < this.blocks.length; i++) {
        var b = this.blocks[i];
        if (b[0] < hi && b[0] + b[1] > lo) return false;
      }
      for (var j = 0; j < this.drones.length; j++) {
        var d = this.drones[j];
        if (d[0] < hi && d[0] + d[2] > lo) return false;
      }
      return true;
    }

    render() {
      this.world.x = this.area.x + SCREEN_X - this.px;
      this.player.y = this.groundY - this.alt - PLAYER_H / 2;
      this.player.angle = this.airborne && !this.falling ? Math.max(-20, Math.min(20, -this.vy / 45)) : 0;
      if (this.started) {
        var left = Math.max(0, Math.ceil((this.L.length - this.px) / POINTS_EVERY_PX));
        this.info.setText(left + " m to the flag");
      }
    }

    observe() {
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        x: this.px,
        y: this.alt,
        vy: this.vy,
        airborne: this.airborne,
        falling: this.falling,
        started: this.started,
        frozen: this.frozen > 0,
        speed: this.speed,
        length: this.L.length,
        coins: this.coinsTaken,
        race: this.race,
        finished: this.finished,
        ghosts: Object.keys(this.ghosts).map(function (seat) {
          return [Number(seat), this.ghosts[seat].x];
        }, this),
      };
    }
  }

  GF.registerMechanic("runner", RunnerScene);
})();
