/* Breakout: keep the ball in play with the paddle and smash every brick. */
(function () {
  "use strict";

  var BALL = 18;
  var PADDLE_H = 22;
  var BRICK_H = 28;
  var KEY_SPEED = 760; // paddle pixels per second with the keyboard or buttons
  var POINTER_SPEED = 2400;
  var MAX_BOUNCE = (62 * Math.PI) / 180; // steepest angle off the paddle's edge
  var SUBSTEP = 6; // pixels per collision step: no tunnelling through bricks

  class BreakoutScene extends GF.MechanicScene {
    buildLevel(level) {
      var a = this.area;
      this.L = level;
      this.left = a.x;
      this.right = a.x + a.w;
      this.top = a.y + 8;
      this.bottom = a.y + a.h;
      this.boardPanel(a.x, a.y, a.w, a.h);
      var rows = level.bricks.length;
      var cols = level.bricks[0].length;
      var gap = 6;
      var bw = (a.w - 24 - gap * (cols - 1)) / cols;
      var y0 = this.top + 150; // room above the bricks: a ball that gets behind them scores big
      this.bricks = [];
      for (var r = 0; r < rows; r++) {
        for (var c = 0; c < cols; c++) {
          var hp = parseInt(level.bricks[r][c], 10);
          if (!hp) continue;
          var x = a.x + 12 + c * (bw + gap) + bw / 2;
          var y = y0 + r * (BRICK_H + gap) + BRICK_H / 2;
          var img = this.sprite(x, y, "brick" + hp, bw, BRICK_H);
          this.bricks.push({ x: x, y: y, w: bw, h: BRICK_H, hp: hp, img: img });
        }
      }
      this.left_count = this.bricks.length;
      this.paddleW = Math.round(this.params.paddle_width * level.paddle_scale);
      this.paddleY = this.bottom - 60;
      this.paddle = this.sprite(GF.width / 2, this.paddleY, "paddle", this.paddleW, PADDLE_H);
      this.ball = this.sprite(0, 0, "ball", BALL, BALL);
      this.baseSpeed = this.params.ball_speed * level.ball_speed_scale;
      this.info = this.text(GF.width / 2, this.top + 24, "", 20);
      this.targetX = null;
      this.attach();
    }

    attach() {
      this.attached = true;
      this.speed = this.baseSpeed;
      this.vx = 0;
      this.vy = 0;
      this.placeBallOnPaddle();
      this.info.setText("Tap or press Space to launch");
    }

    placeBallOnPaddle() {
      this.bx = this.paddle.x;
      this.by = this.paddleY - PADDLE_H / 2 - BALL / 2 - 1;
      this.ball.setPosition(this.bx, this.by);
    }

    launch() {
      if (!this.attached) return;
      this.attached = false;
      var angle = -0.35 + 0.7 * ((this.paddle.x - this.left) / (this.right - this.left));
      this.vx = this.speed * Math.sin(angle);
      this.vy = -this.speed * Math.cos(angle);
      this.info.setText("");
      this.gf.cue("paddle");
    }

    onAction(action) {
      if (action === "primary" || action === "up") this.launch();
    }

    onPointer(type, x) {
      if (type === "down" || type === "move") this.targetX = x;
      if (type === "down") this.launch();
    }

    tick(time, dt) {
      var s = dt / 1000;
      var half = this.paddleW / 2;
      var px = this.paddle.x;
      if (this.gf.held("left") || this.gf.held("right")) {
        this.targetX = null;
        px += (this.gf.held("right") ? 1 : -1) * KEY_SPEED * s;
      } else if (this.targetX !== null) {
        var delta = this.targetX - px;
        var maxMove = POINTER_SPEED * s;
        px += Math.max(-maxMove, Math.min(maxMove, delta));
      }
      px = Math.max(this.left + half, Math.min(this.right - half, px));
      this.paddle.x = px;
      if (this.attached) {
        this.placeBallOnPaddle();
        return;
      }
      var distance = this.speed * s;
      var steps = Math.max(1, Math.ceil(distance / SUBSTEP));
      for (var i = 0; i < steps; i++) {
        if (!this.move(s / steps)) return;
      }
      this.ball.setPosition(this.bx, this.by);
    }

    setVelocity(angleFromVertical, up) {
      this.vx = this.speed * Math.sin(angleFromVertical);
      this.vy = (up ? -1 : 1) * this.speed * Math.cos(angleFromVertical);
    }

    move(s) {
      var r = BALL / 2;
      this.bx += this.vx * s;
      this.by += this.vy * s;
      if (this.bx < this.left + r) {
        this.bx = this.left + r;
        this.vx = Math.abs(this.vx);
        this.gf.cue("wall");
      } else if (this.bx > this.right - r) {
        this.bx = this.right - r;
        this.vx = -Math.abs(this.vx);
        this.gf.cue("wall");
      }
      if (this.by < this.top + r) {
        this.by = this.top + r;
        this.vy = Math.abs(this.vy);
        this.gf.cue("wall");
      }
      // the paddle
      var half = this.paddleW / 2;
      var paddleTop = this.paddleY - PADDLE_H / 2;
      if (this.vy > 0 && this.by + r >= paddleTop && this.by + r <= paddleTop + PADDLE_H && Math.abs(this.bx - this.paddle.x) <= half + r) {
        var offset = Math.max(-1, Math.min(1, (this.bx - this.paddle.x) / half));
        this.by = paddleTop - r;
        this.setVelocity(offset * MAX_BOUNCE, true);
        this.gf.cue("paddle");
      }
      // the bricks: one hit per step, bounce off the side that overlaps least
      for (var i = 0; i < this.bricks.length; i++) {
        var b = this.bricks[i];
        if (b.hp <= 0) continue;
        var dx = this.bx - b.x;
        var dy = this.by - b.y;
        var ox = b.w / 2 + r - Math.abs(dx);
        var oy = b.h / 2 + r - Math.abs(dy);
        if (ox <= 0 || oy <= 0) continue;
        if (ox < oy) {
          this.vx = dx > 0 ? Math.abs(this.vx) : -Math.abs(this.vx);
          this.bx += dx > 0 ? ox : -ox;
        } else {
          this.vy = dy > 0 ? Math.abs(this.vy) : -Math.abs(this.vy);
          this.by += dy > 0 ? oy : -oy;
        }
        this.hitBrick(b);
        break;
      }
      // never a near-horizontal ball that bounces forever
      if (Math.abs(this.vy) < this.speed * 0.3) {
        var sign = this.vy < 0 ? -1 : 1;
        this.vy = sign * this.speed * 0.3;
        this.vx = Math.sign(this.vx || 1) * Math.sqrt(this.speed * this.speed - this.vy * this.vy);
      }
      if (this.by - r > this.bottom) {
        this.gf.cue("miss");
        this.gf.track("ball_lost", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
        if (this.gf.loseLife("The ball fell")) this.attach();
        return false;
      }
      return true;
    }

    hitBrick(b) {
      b.hp -= 1;
      this.speed = Math.min(this.baseSpeed * 1.8, this.speed * (1 + this.params.speed_up_per_hit));
      var norm = Math.sqrt(this.vx * this.vx + this.vy * this.vy) || 1;
      this.vx = (this.vx / norm) * this.speed;
      this.vy = (this.vy / norm) * this.speed;
      this.gf.cue("brick");
      if (b.hp > 0) {
        b.img.setFrame("brick" + b.hp);
        b.img.setDisplaySize(b.w, b.h);
        this.gf.addScore(Math.round(this.gf.base / 2), b.x, b.y);
        return;
      }
      this.left_count -= 1;
      var img = b.img;
      this.tweens.add({ targets: img, alpha: 0, scaleX: img.scaleX * 1.3, scaleY: img.scaleY * 1.3, duration: 160, onComplete: function () { img.destroy(); } });
      this.gf.addScore(this.gf.base, b.x, b.y);
      this.gf.track("brick_broken", { remaining: this.left_count, level: this.gf.levelIndex + 1 });
      if (this.left_count <= 0) this.gf.completeLevel();
    }

    observe() {
      return {
        ball: [this.bx, this.by],
        vel: [this.vx, this.vy],
        attached: this.attached,
        paddle: [this.paddle.x, this.paddleY, this.paddleW],
        bounds: [this.left, this.top, this.right, this.bottom],
        bricks_left: this.left_count,
        bricks: this.bricks.filter(function (b) { return b.hp > 0; }).map(function (b) { return [b.x, b.y, b.w, b.h, b.hp]; }),
      };
    }
  }

  GF.registerMechanic("breakout", BreakoutScene);
})();
