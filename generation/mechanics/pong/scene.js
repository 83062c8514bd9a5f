/* Pong: return the ball past the computer's paddle; first to the level's points wins it. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): its validator proves a winning return exists.
  var FIELD_W = 516;
  var FIELD_H = 820;
  var PADDLE_H = 20;
  var BALL_R = 9;
  var CPU_Y = 50;
  var PLAYER_Y = FIELD_H - 50;
  var MAX_BOUNCE = Math.PI / 3;
  var PLAYER_HIT_Y = PLAYER_Y - PADDLE_H / 2 - BALL_R;
  var CPU_HIT_Y = CPU_Y + PADDLE_H / 2 + BALL_R;
  var TRAVEL = PLAYER_HIT_Y - CPU_HIT_Y;
  var KEY_SPEED = 760; // the player's paddle, pixels per second, with the keyboard
  var POINTER_SPEED = 2400;
  var SUBSTEP = 6; // pixels per collision step
  var AVATAR = 44;

  /** Where a ball moving freely to x ends up between walls at lo and hi. */
  function reflect(x, lo, hi) {
    var width = hi - lo;
    var m = (((x - lo) % (2 * width)) + 2 * width) % (2 * width);
    return lo + (m <= width ? m : 2 * width - m);
  }

  class PongScene extends GF.MechanicScene {
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
      g.fillRoundedRect(this.fx, this.fy, FIELD_W, FIELD_H, 12);
      g.lineStyle(3, this.palette.primary, 0.35);
      for (var x = 10; x + 14 <= FIELD_W - 10; x += 28) g.lineBetween(this.fx + x, this.fy + FIELD_H / 2, this.fx + x + 14, this.fy + FIELD_H / 2);
      this.layer.add(g);
      this.rand = this.gf.rng(PongScene.rngSeed(level, index));
      this.speedBase = this.params.ball_speed * level.ball_speed_scale;
      this.speedTop = this.speedBase * this.params.max_speed_scale;
      // side 0: the player at the bottom; side 1: the computer at the top (a second player later)
      this.sides = [
        { x: FIELD_W / 2, y: PLAYER_Y, w: this.params.paddle_width, controller: "human", frame: "paddle", face: "player", dy: AVATAR / 2 + 12 },
        { x: FIELD_W / 2, y: CPU_Y, w: Math.round(this.params.paddle_width * level.cpu_paddle_scale), controller: "cpu", frame: "cpu", face: "rival", dy: -(AVATAR / 2 + 12) },
      ];
      for (var i = 0; i < this.sides.length; i++) {
        var side = this.sides[i];
        side.avatar = this.sprite(0, 0, side.face, AVATAR, AVATAR).setAlpha(0.9);
        side.img = this.sprite(0, 0, side.frame, side.w, PADDLE_H);
      }
      this.points = [0, 0];
      this.ball = this.sprite(0, 0, "ball", BALL_R * 2 + 4, BALL_R * 2 + 4);
      this.tally = this.text(this.fx + FIELD_W / 2, this.fy + FIELD_H / 2 - 26, "", 26).setAlpha(0.8);
      this.info = this.text(GF.width / 2, this.fy + FIELD_H / 2 + 40, "", 22);
      this.targetX = null;
      this.serve();
    }

    serve() {
      this.serving = true;
      this.speed = this.speedBase;
      this.rally = 0;
      this.vx = 0;
      this.vy = 0;
      this.cpuAim = 0;
      this.placeBall();
      this.info.setText("Tap or press Space to serve");
      this.tally.setText(this.points[0] + " : " + this.points[1] + "  / " + this.L.points_to_win);
      this.draw();
    }

    placeBall() {
      this.bx = this.sides[0].x;
      this.by = PLAYER_HIT_Y - 1;
    }

    /** The computer's aim for the next return: the same draw, in the same order, as flame.dart. */
    drawAim() {
      this.cpuAim = (this.rand() * 2 - 1) * this.L.cpu_error * (this.sides[1].w / 2);
    }

    launch() {
      if (!this.serving) return;
      this.serving = false;
      var angle = (this.rand() * 2 - 1) * 0.45;
      this.setVelocity(angle, true);
      this.drawAim();
      this.info.setText("");
      this.gf.cue("paddle");
    }

    setVelocity(angle, up) {
      this.vx = this.speed * Math.sin(angle);
      this.vy = (up ? -1 : 1) * this.speed * Math.cos(angle);
    }

    onAction(action) {
      if (action === "primary" || action === "up") this.launch();
    }

    onPointer(type, x) {
      if (type === "down" || type === "move") this.targetX = x - this.fx;
      if (type === "down") this.launch();
    }

    tick(time, dt) {
      var s = dt / 1000;
      var me = this.sides[0];
      var half = me.w / 2;
      if (this.gf.held("left") || this.gf.held("right")) {
        this.targetX = null;
        me.x += (this.gf.held("right") ? 1 : -1) * KEY_SPEED * s;
      } else if (this.targetX !== null) {
        var maxMove = POINTER_SPEED * s;
        me.x += Math.max(-maxMove, Math.min(maxMove, this.targetX - me.x));
      }
      me.x = Math.max(half, Math.min(FIELD_W - half, me.x));
      this.moveCpu(s);
      if (this.serving) {
        this.placeBall();
      } else {
        var steps = Math.max(1, Math.ceil((this.speed * s) / SUBSTEP));
        for (var i = 0; i < steps; i++) {
          if (!this.step(s / steps)) break;
        }
      }
      this.draw();
    }

    /** Back to the middle while the ball goes away; for where it will arrive once it has come far enough. */
    moveCpu(s) {
      var c = this.sides[1];
      var target = FIELD_W / 2;
      if (!this.serving && this.vy < 0 && PLAYER_HIT_Y - this.by >= this.L.cpu_reaction * TRAVEL) {
        var t = (this.by - CPU_HIT_Y) / -this.vy;
        target = reflect(this.bx + this.vx * t, BALL_R, FIELD_W - BALL_R) + this.cpuAim;
      }
      var maxMove = this.L.cpu_speed * s;
      c.x += Math.max(-maxMove, Math.min(maxMove, target - c.x));
      c.x = Math.max(c.w / 2, Math.min(FIELD_W - c.w / 2, c.x));
    }

    speedUp() {
      this.speed = Math.min(this.speedTop, this.speed * (1 + this.params.speed_up_per_hit));
    }

    step(s) {
      this.bx += this.vx * s;
      this.by += this.vy * s;
      if (this.bx < BALL_R) {
        this.bx = BALL_R;
        this.vx = Math.abs(this.vx);
        this.gf.cue("wall");
      } else if (this.bx > FIELD_W - BALL_R) {
        this.bx = FIELD_W - BALL_R;
        this.vx = -Math.abs(this.vx);
        this.gf.cue("wall");
      }
      var me = this.sides[0];
      var cpu = this.sides[1];
      if (this.vy > 0 && this.by >= PLAYER_HIT_Y && this.by <= PLAYER_HIT_Y + PADDLE_H && Math.abs(this.bx - me.x) <= me.w / 2 + BALL_R) {
        var offset = Math.max(-1, Math.min(1, (this.bx - me.x) / (me.w / 2)));
        this.by = PLAYER_HIT_Y;
        this.speedUp();
        this.setVelocity(offset * MAX_BOUNCE, true);
        this.rally += 1;
        this.drawAim();
        this.gf.cue("paddle");
        this.gf.track("ball_returned", { level: this.gf.levelIndex + 1, rally: this.rally });
      } else if (this.vy < 0 && this.by <= CPU_HIT_Y && this.by >= CPU_HIT_Y - PADDLE_H && Math.abs(this.bx - cpu.x) <= cpu.w / 2 + BALL_R) {
        var off = Math.max(-1, Math.min(1, (this.bx - cpu.x) / (cpu.w / 2)));
        this.by = CPU_HIT_Y;
        this.speedUp();
        this.setVelocity(off * MAX_BOUNCE, false);
        this.gf.cue("paddle");
      }
      if (this.by > FIELD_H + BALL_R) {
        this.points[1] += 1;
        this.gf.cue("miss");
        this.gf.track("point_lost", { level: this.gf.levelIndex + 1, player: this.points[0], cpu: this.points[1], lives: this.gf.lives - 1 });
        if (this.gf.loseLife("The computer scored")) this.serve();
        return false;
      }
      if (this.by < -BALL_R) {
        this.points[0] += 1;
        this.gf.cue("point");
        this.gf.addScore(this.gf.base, this.fx + this.bx, this.fy + 30);
        this.gf.track("point_won", { level: this.gf.levelIndex + 1, player: this.points[0], cpu: this.points[1] });
        if (this.points[0] >= this.L.points_to_win) {
          this.gf.completeLevel();
        } else {
          this.serve();
        }
        return false;
      }
      return true;
    }

    draw() {
      for (var i = 0; i < this.sides.length; i++) {
        var side = this.sides[i];
        side.img.setPosition(this.fx + side.x, this.fy + side.y);
        side.avatar.setPosition(this.fx + side.x, this.fy + side.y + side.dy);
      }
      this.ball.setPosition(this.fx + this.bx, this.fy + this.by);
      this.ball.setVisible(this.by > -BALL_R && this.by < FIELD_H + BALL_R);
    }

    observe() {
      var me = this.sides[0];
      var cpu = this.sides[1];
      return {
        playing: this.gf.playing,
        origin: [this.fx, this.fy],
        field: [FIELD_W, FIELD_H],
        ball: [this.bx, this.by],
        vel: [this.vx, this.vy],
        speed: this.speed,
        serving: this.serving,
        player: me.x,
        player_w: me.w,
        player_hit_y: PLAYER_HIT_Y,
        cpu: cpu.x,
        cpu_w: cpu.w,
        cpu_hit_y: CPU_HIT_Y,
        points: this.points.slice(),
        to_win: this.L.points_to_win,
      };
    }
  }

  GF.registerMechanic("pong", PongScene);
})();
