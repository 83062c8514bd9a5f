/* Flappy: tap to flap through the gaps between pipes; pipes and the ground cost a life. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): the validator's search uses the same numbers.
  var WORLD_H = 800;
  var BIRD_R = 16;
  var FIRST_PIPE = 560;
  var TERMINAL_VELOCITY = 700;
  var SCREEN_X = 130; // where the bird flies on screen
  var SUBSTEP_PX = 6;

  class FlappyScene extends GF.MechanicScene {
    buildLevel(level) {
      var a = this.area;
      this.L = level;
      this.speed = level.speed * this.params.speed_scale;
      this.gravity = this.params.gravity;
      this.flapV = this.params.flap_velocity;
      this.top = a.y + Math.max(0, (a.h - WORLD_H) / 2 - 20);
      this.world = this.add.container(0, 0);
      this.layer.add(this.world);
      this.pipes = level.gaps.map(function (gap, i) {
        return { x: FIRST_PIPE + i * level.spacing, top: gap[0] - gap[1] / 2, bottom: gap[0] + gap[1] / 2, passed: false };
      });
      this.end = this.pipes[this.pipes.length - 1].x + level.pipe_width + BIRD_R;
      this.drawWorld();
      this.bird = this.sprite(a.x + SCREEN_X, 0, "bird", BIRD_R * 2 + 14, BIRD_R * 2 + 10);
      this.info = this.text(GF.width / 2, this.top + 40, "", 24);
      this.count = this.text(GF.width / 2, this.top + 90, "", 44);
      this.count.setAlpha(0.85);
      this.bx = 0;
      this.by = WORLD_H / 2;
      this.vy = 0;
      this.waiting = true;
      this.clock = 0;
      this.passed = 0;
      this.render();
      this.info.setText("Tap or press Space to flap");
      this.count.setText("0 / " + this.pipes.length);
    }

    drawWorld() {
      var a = this.area;
      var g = this.add.graphics();
      this.world.add(g);
      var w = this.L.pipe_width;
      var ground = this.top + WORLD_H;
      var self = this;
      this.pipes.forEach(function (p) {
        g.fillStyle(self.palette.secondary, 1);
        g.fillRect(p.x, self.top, w, p.top);
        g.fillRect(p.x, self.top + p.bottom, w, WORLD_H - p.bottom);
        // Lips on the pipe ends, so the gap reads at a glance.
        g.fillStyle(self.palette.accent, 1);
        g.fillRect(p.x - 6, self.top + p.top - 22, w + 12, 22);
        g.fillRect(p.x - 6, self.top + p.bottom, w + 12, 22);
        g.lineStyle(3, self.palette.background, 0.5);
        g.strokeRect(p.x, self.top, w, p.top);
        g.strokeRect(p.x, self.top + p.bottom, w, WORLD_H - p.bottom);
      });
      var stretch = this.end + GF.width + 400;
      g.fillStyle(this.palette.surface, 1);
      g.fillRect(-SCREEN_X - 40, ground, stretch, a.y + a.h - ground + 40);
      g.fillStyle(this.palette.danger, 0.85);
      for (var x = -SCREEN_X - 40; x < stretch; x += 48) g.fillRect(x, ground, 24, 8);
      var flagX = this.end + 40;
      this.worldStar = this.sprite(flagX, this.top + WORLD_H / 2, "star", 40, 40);
      this.world.add(this.worldStar);
      this.tweens.add({ targets: this.worldStar, angle: 360, repeat: -1, duration: 2400 });
    }

    flap() {
      if (this.waiting) {
        this.waiting = false;
        this.info.setText("");
      }
      this.vy = -this.flapV;
      this.gf.cue("flap");
    }

    onAction(action) {
      if (action === "primary" || action === "up") this.flap();
    }

    onPointer(type) {
      if (type === "down") this.flap();
    }

    tick(time, dt) {
      this.clock += dt;
      if (this.waiting) {
        this.bird.y = this.top + this.by + Math.sin(this.clock / 180) * 8;
        return;
      }
      var s = dt / 1000;
      var n = Math.max(1, Math.ceil((Math.max(this.speed, Math.abs(this.vy)) * s) / SUBSTEP_PX));
      for (var k = 0; k < n; k++) {
        if (!this.step(s / n)) return;
      }
      this.render();
    }

    /** One substep of `h` seconds; false when the level ended or the bird crashed. */
    step(h) {
      this.bx += this.speed * h;
      var fall = this.vy >= TERMINAL_VELOCITY;
      if (fall) {
        this.by += TERMINAL_VELOCITY * h;
      } else {
        this.by += this.vy * h + (this.gravity * h * h) / 2;
        this.vy = Math.min(TERMINAL_VELOCITY, this.vy + this.gravity * h);
      }
      if (this.by < BIRD_R) {
        this.by = BIRD_R; // the sky is a soft ceiling
        this.vy = Math.max(0, this.vy);
      }
      if (this.by > WORLD_H - BIRD_R) return this.crash("You hit the ground", this.nextPipe());
      for (var i = 0; i < this.pipes.length; i++) {
        var p = this.pipes[i];
        if (p.x > this.bx + BIRD_R) break;
        if (this.hitsPipe(p)) return this.crash("You hit a pipe", i);
        if (!p.passed && this.bx - BIRD_R > p.x + this.L.pipe_width) this.pass(p);
      }
      if (this.bx >= this.end) {
        this.render();
        this.gf.completeLevel();
        return false;
      }
      return true;
    }

    hitsPipe(p) {
      // The bird's circle against the two rectangles of a pipe.
      var cx = Math.max(p.x, Math.min(p.x + this.L.pipe_width, this.bx));
      var dx = this.bx - cx;
      if (Math.abs(dx) >= BIRD_R) return false;
      var reach = Math.sqrt(BIRD_R * BIRD_R - dx * dx);
      return this.by - reach < p.top || this.by + reach > p.bottom;
    }

    nextPipe() {
      for (var i = 0; i < this.pipes.length; i++) if (!this.pipes[i].passed) return i;
      return this.pipes.length - 1;
    }

    pass(p) {
      p.passed = true;
      this.passed += 1;
      this.count.setText(this.passed + " / " + this.pipes.length);
      this.gf.cue("pass");
      this.gf.addScore(this.gf.base, this.area.x + SCREEN_X, this.top + this.by - 30);
      this.gf.track("pipe_passed", { level: this.gf.levelIndex + 1, count: this.passed });
    }

    crash(cause, pipe) {
      this.gf.cue("crash");
      this.gf.track("bird_crashed", { level: this.gf.levelIndex + 1, pipe: pipe + 1, cause: cause });
      this.cameras.main.shake(180, 0.012);
      this.render();
      if (this.gf.loseLife(cause)) this.respawn(pipe);
      return false;
    }

    /** Back before the pipe that was missed, at the height of its gap, waiting for a flap. */
    respawn(pipe) {
      var p = this.pipes[pipe];
      var after = pipe > 0 ? this.pipes[pipe - 1].x + this.L.pipe_width + BIRD_R + 10 : 0;
      this.bx = Math.max(after, p.x - 200);
      this.by = (p.top + p.bottom) / 2;
      this.vy = 0;
      this.waiting = true;
      this.info.setText("Tap to fly on");
      this.render();
    }

    render() {
      this.world.x = this.area.x + SCREEN_X - this.bx;
      this.bird.y = this.top + this.by;
      this.bird.angle = this.waiting ? 0 : Math.max(-30, Math.min(70, this.vy / 9));
    }

    observe() {
      var next = this.nextPipe();
      var self = this;
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        x: this.bx,
        y: this.by,
        vy: this.vy,
        waiting: this.waiting,
        passed: this.passed,
        speed: this.speed,
        gravity: this.gravity,
        flap: this.flapV,
        radius: BIRD_R,
        pipes: this.pipes.slice(next, next + 2).map(function (p) {
          return [p.x, p.top, p.bottom, self.L.pipe_width];
        }),
      };
    }
  }

  GF.registerMechanic("flappy", FlappyScene);
})();
