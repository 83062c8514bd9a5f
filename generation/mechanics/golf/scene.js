/* Mini golf: pull back and release to putt; bounce off walls and bumpers, keep out of the water,
 * sink the ball within the level's shots. The ball rolls with Phaser's Matter.js physics. */
(function () {
  "use strict";

  // Shared with course.py beside it: the proof of every level uses the same sizes, in cells.
  var COLS = 9;
  var ROWS = 15;
  var BALL_R = 0.22;
  var HOLE_R = 0.36;
  var BUMPER_R = 0.32;
  var STEP_MS = 1000 / 60; // one Matter step: the ball's path depends on steps, never on the frame rate
  var MAX_STEPS = 4; // per frame at most: a slow machine slows the game rather than skip ahead
  var DAMPING = 0.04; // Matter's frictionAir: the share of speed the rolling ball loses each step
  var STOP = 0.0015; // cells per step under which the ball is at rest
  var SINK = 0.1; // cells per step: slower than this over the cup, the ball drops
  var MIN_POWER = 0.04;
  var PULL = 230; // game pixels of pull for a full-power putt
  var TURN = 1.6; // radians per second of aim with the keys held
  var STATUS_H = 44;

  /** The launch speed (cells per step) that rolls `cells` on open grass: a damped step sums to
   * v(1 - f) / f, less what is left when the ball is called at rest. */
  function speedForCells(cells) {
    return (cells * DAMPING) / (1 - DAMPING) + STOP;
  }

  class GolfScene extends GF.MechanicScene {
    static get physics() {
      return { matter: { gravity: { x: 0, y: 0 }, autoUpdate: false, enableSleeping: false } };
    }

    buildLevel(level) {
      var self = this;
      var a = this.area;
      var world = this.matter.world;
      world.remove(world.getAllBodies());
      if (!this.listening) {
        this.listening = true;
        world.on("collisionstart", function (event) {
          self.onCollisions(event.pairs);
        });
      }
      this.L = level;
      this.cell = Math.floor(Math.min(a.w / COLS, (a.h - STATUS_H) / ROWS));
      var c = this.cell;
      this.x0 = Math.round(a.x + (a.w - c * COLS) / 2);
      this.y0 = Math.round(a.y + (a.h - STATUS_H - c * ROWS) / 2);
      this.maxPutt = this.params.max_putt;
      this.steps = 0;
      this.acc = 0;
      this.strokes = 0;
      this.sunk = false;
      this.rolling = false;
      this.press = null;
      this.aiming = false;
      this.water = [];
      this.drawCourse(level);
      this.buildBodies(level);
      var hole = this.find(level, "H");
      this.hole = this.at(hole[0] + 0.5, hole[1] + 0.5);
      var tee = this.find(level, "S");
      var start = this.at(tee[0] + 0.5, tee[1] + 0.5);
      this.ball = this.matter.add.circle(start.x, start.y, BALL_R * c, {
        label: "ball",
        restitution: 0.7,
        friction: 0,
        frictionStatic: 0,
        frictionAir: DAMPING,
        inertia: Infinity,
      });
      this.ballImg = this.sprite(start.x, start.y, "ball", BALL_R * c * 2.9, BALL_R * c * 2.9);
      this.ballImg.setDepth(5);
      this.shotFrom = { x: start.x, y: start.y };
      this.guide = this.add.graphics().setDepth(4);
      this.layer.add(this.guide);
      this.info = this.text(GF.width / 2, this.y0 + c * ROWS + STATUS_H / 2 + 2, "", 22);
      this.aim = Math.atan2(this.hole.y - start.y, this.hole.x - start.x);
      this.power = 0.5;
      this.armed = true;
      this.showInfo();
      this.drawGuide();
    }

    find(level, ch) {
      for (var y = 0; y < ROWS; y++) {
        var x = level.rows[y].indexOf(ch);
        if (x >= 0) return [x, y];
      }
      return [0, 0];
    }

    at(cx, cy) {
      return { x: this.x0 + cx * this.cell, y: this.y0 + cy * this.cell };
    }

    // --- drawing ------------------------------------------------------------------------------

    drawCourse(level) {
      var c = this.cell;
      var P = this.palette;
      var w = c * COLS;
      var h = c * ROWS;
      this.boardPanel(this.x0 - 6, this.y0 - 6, w + 12, h + 12);
      var g = this.add.graphics();
      this.layer.add(g);
      // the green: mown stripes, and a rim
      g.fillStyle(P.secondary, 0.55);
      g.fillRoundedRect(this.x0, this.y0, w, h, 8);
      g.fillStyle(0xffffff, 0.06);
      for (var s = 0; s < ROWS; s += 2) g.fillRect(this.x0, this.y0 + s * c, w, c);
      g.lineStyle(5, P.primary, 0.95);
      g.strokeRoundedRect(this.x0 - 2, this.y0 - 2, w + 4, h + 4, 10);
      for (var y = 0; y < ROWS; y++) {
        for (var x = 0; x < COLS; x++) {
          var ch = level.rows[y][x];
          var p = this.at(x, y);
          if (ch === "~") {
            g.fillStyle(P.danger, 0.35);
            g.fillRoundedRect(p.x + 2, p.y + 2, c - 4, c - 4, 10);
            g.lineStyle(2, P.danger, 0.6);
            g.strokeRoundedRect(p.x + 2, p.y + 2, c - 4, c - 4, 10);
            this.water.push([x, y]);
            this.sprite(p.x + c / 2, p.y + c / 2, "water", c * 0.62, c * 0.62).setAlpha(0.85);
          } else if (ch === "o") {
            g.fillStyle(0x000000, 0.18);
            g.fillCircle(p.x + c / 2 + 3, p.y + c / 2 + 4, BUMPER_R * c + 3);
            g.lineStyle(4, P.accent, 0.9);
            g.strokeCircle(p.x + c / 2, p.y + c / 2, BUMPER_R * c + 2);
            this.sprite(p.x + c / 2, p.y + c / 2, "bumper", BUMPER_R * c * 2.3, BUMPER_R * c * 2.3);
          } else if (ch === "H") {
            g.fillStyle(0x000000, 0.55);
            g.fillCircle(p.x + c / 2, p.y + c / 2, HOLE_R * c);
            g.lineStyle(3, 0xffffff, 0.7);
            g.strokeCircle(p.x + c / 2, p.y + c / 2, HOLE_R * c);
          } else if (ch === "S") {
            g.fillStyle(0xffffff, 0.25);
            g.fillRoundedRect(p.x + c * 0.2, p.y + c * 0.2, c * 0.6, c * 0.6, 6);
          }
        }
      }
      var walls = this.add.graphics();
      this.layer.add(walls);
      this.wallBoxes(level).forEach(function (b) {
        var bx = this.x0 + b[0] * c;
        var by = this.y0 + b[1] * c;
        var bw = (b[2] - b[0]) * c;
        walls.fillStyle(0x000000, 0.22);
        walls.fillRoundedRect(bx + 3, by + 5, bw, c, 7);
        walls.fillStyle(P.primary, 1);
        walls.fillRoundedRect(bx, by, bw, c, 7);
        walls.fillStyle(0xffffff, 0.18);
        walls.fillRoundedRect(bx + 4, by + 4, bw - 8, c * 0.28, 5);
      }, this);
      var hole = this.find(level, "H");
      var hp = this.at(hole[0] + 0.5, hole[1] + 0.5);
      this.sprite(hp.x, hp.y, "hole", HOLE_R * c * 2.2, HOLE_R * c * 2.2);
      // the flag in the cup
      g.lineStyle(3, P.text, 0.95);
      g.lineBetween(hp.x + 4, hp.y, hp.x + 4, hp.y - c * 1.05);
      g.fillStyle(P.danger, 1);
      g.fillTriangle(hp.x + 5, hp.y - c * 1.05, hp.x + 5 + c * 0.55, hp.y - c * 0.88, hp.x + 5, hp.y - c * 0.7);
    }

    /** The walls as the runs of each row: the same boxes course.py's proof keeps clear of. */
    wallBoxes(level) {
      var out = [];
      for (var y = 0; y < ROWS; y++) {
        var row = level.rows[y];
        var x = 0;
        while (x < COLS) {
          if (row[x] !== "#") {
            x += 1;
            continue;
          }
          var start = x;
          while (x < COLS && row[x] === "#") x += 1;
          out.push([start, y, x]);
        }
      }
      return out;
    }

    buildBodies(level) {
      var c = this.cell;
      var add = this.matter.add;
      var wall = { isStatic: true, label: "wall", restitution: 0, friction: 0 };
      var w = c * COLS;
      var h = c * ROWS;
      var t = c; // the course's edge: thick enough that nothing tunnels through
      add.rectangle(this.x0 + w / 2, this.y0 - t / 2, w + 2 * t, t, wall);
      add.rectangle(this.x0 + w / 2, this.y0 + h + t / 2, w + 2 * t, t, wall);
      add.rectangle(this.x0 - t / 2, this.y0 + h / 2, t, h, wall);
      add.rectangle(this.x0 + w + t / 2, this.y0 + h / 2, t, h, wall);
      this.wallBoxes(level).forEach(function (b) {
        var bw = (b[2] - b[0]) * c;
        add.rectangle(this.x0 + b[0] * c + bw / 2, this.y0 + b[1] * c + c / 2, bw, c, wall);
      }, this);
      for (var y = 0; y < ROWS; y++) {
        for (var x = 0; x < COLS; x++) {
          if (level.rows[y][x] !== "o") continue;
          var p = this.at(x + 0.5, y + 0.5);
          add.circle(p.x, p.y, BUMPER_R * c, { isStatic: true, label: "bumper", restitution: this.params.bumper_bounce, friction: 0 });
        }
      }
      this.movers = (level.movers || []).map(function (m) {
        var mw = m.width * c;
        var mh = m.height * c;
        var home = this.at(m.x + m.width / 2, m.y + m.height / 2);
        var body = add.rectangle(home.x, home.y, mw, mh, { isStatic: true, label: "wall", restitution: 0, friction: 0 });
        var img = this.sprite(home.x, home.y, "mover", mw, mh * 0.86);
        return { m: m, body: body, img: img, home: home };
      }, this);
    }

    showInfo() {
      var left = this.L.shots - this.strokes;
      this.info.setText("Stroke " + Math.min(this.strokes + 1, this.L.shots) + " of " + this.L.shots + "   \u00b7   Par " + this.L.par +
        (left === 1 && !this.rolling ? "   \u00b7   last shot!" : ""));
    }

    drawGuide() {
      var g = this.guide;
      g.clear();
      if (this.rolling || this.sunk || !this.gf.playing && this.strokes > 0) return;
      var b = this.ball.position;
      var c = this.cell;
      var reach = this.power * this.maxPutt * c;
      var dx = Math.cos(this.aim);
      var dy = Math.sin(this.aim);
      var dots = this.params.aim_guide ? Math.max(2, Math.round(reach / 22)) : 4;
      var shown = this.params.aim_guide ? reach : Math.min(reach, c * 1.6);
      for (var k = 1; k <= dots; k++) {
        var f = k / dots;
        g.fillStyle(this.palette.text, 0.9 - 0.5 * f);
        g.fillCircle(b.x + dx * shown * f, b.y + dy * shown * f, 4.5 - 2 * f);
      }
      if (this.params.aim_guide) {
        g.lineStyle(2, this.palette.text, 0.7);
        g.strokeCircle(b.x + dx * reach, b.y + dy * reach, BALL_R * c);
      }
      // the power meter: an arc around the ball, green to red
      var col = Phaser.Display.Color.Interpolate.ColorWithColor(
        Phaser.Display.Color.ValueToColor(this.palette.accent), Phaser.Display.Color.ValueToColor(this.palette.danger), 100, Math.round(this.power * 100));
      g.lineStyle(6, Phaser.Display.Color.GetColor(col.r, col.g, col.b), 0.95);
      g.beginPath();
      g.arc(b.x, b.y, BALL_R * c + 12, -Math.PI / 2, -Math.PI / 2 + this.power * Math.PI * 2, false);
      g.strokePath();
      if (this.press && this.aiming && this.pointer) {
        g.lineStyle(3, this.palette.text, 0.35);
        g.lineBetween(this.press.x, this.press.y, this.pointer.x, this.pointer.y);
      }
    }

    // --- input --------------------------------------------------------------------------------

    ready() {
      return this.gf.playing && !this.rolling && !this.sunk;
    }

    onPointer(kind, x, y) {
      if (!this.ready()) {
        this.press = null;
        return;
      }
      var b = this.ball.position;
      if (kind === "down") {
        this.press = { x: x, y: y };
        this.pointer = { x: x, y: y };
        this.aiming = false;
        return;
      }
      if (!this.press) return;
      this.pointer = { x: x, y: y };
      var dx = this.press.x - x;
      var dy = this.press.y - y;
      var pull = Math.sqrt(dx * dx + dy * dy);
      if (kind === "move") {
        if (pull > 12) this.aiming = true;
        if (this.aiming) {
          if (pull > 2) this.aim = Math.atan2(dy, dx);
          this.power = Math.min(1, pull / PULL);
          this.drawGuide();
        }
        return;
      }
      // "up": a pull putts (one let back to where it began is called off); a tap aims or putts
      var wasAiming = this.aiming;
      this.press = null;
      this.aiming = false;
      if (wasAiming) {
        if (pull / PULL >= MIN_POWER) this.putt();
        else this.drawGuide();
        return;
      }
      var fromBall = Math.sqrt((x - b.x) * (x - b.x) + (y - b.y) * (y - b.y));
      if (fromBall < this.cell * 0.8) {
        this.putt();
        return;
      }
      this.aim = Math.atan2(y - b.y, x - b.x);
      this.power = Math.max(MIN_POWER, Math.min(1, fromBall / (this.maxPutt * this.cell)));
      this.drawGuide();
    }

    onAction(action) {
      if (!this.ready()) return;
      if (action === "primary") this.putt();
      else if (action === "up" || action === "down") this.setPower(this.power + (action === "up" ? 0.05 : -0.05));
      else this.aim += (action === "right" ? 1 : -1) * 0.02;
      this.drawGuide();
    }

    setPower(p) {
      this.power = Math.max(MIN_POWER, Math.min(1, p));
    }

    putt() {
      if (!this.ready() || this.power < MIN_POWER) return;
      var speed = speedForCells(this.power * this.maxPutt) * this.cell;
      var b = this.ball.position;
      this.shotFrom = { x: b.x, y: b.y };
      this.matter.body.setVelocity(this.ball, { x: Math.cos(this.aim) * speed, y: Math.sin(this.aim) * speed });
      this.rolling = true;
      this.strokes += 1;
      this.gf.cue("putt");
      this.gf.track("putt", { level: this.gf.levelIndex + 1, shot: this.strokes, power: Math.round(this.power * 100) / 100 });
      this.showInfo();
      this.drawGuide();
    }

    // --- the simulation -------------------------------------------------------------------------

    tick(time, dt) {
      var s = dt / 1000;
      if (this.ready() && !this.press) {
        var turn = (this.gf.held("right") ? 1 : 0) - (this.gf.held("left") ? 1 : 0);
        var push = (this.gf.held("up") ? 1 : 0) - (this.gf.held("down") ? 1 : 0);
        if (turn || push) {
          this.aim += turn * TURN * s;
          this.setPower(this.power + push * 0.6 * s);
          this.drawGuide();
        }
      }
      this.acc = Math.min(this.acc + dt, MAX_STEPS * STEP_MS);
      while (this.acc >= STEP_MS && this.gf.playing && !this.sunk) {
        this.acc -= STEP_MS;
        this.step();
      }
      var p = this.ball.position;
      this.ballImg.setPosition(p.x, p.y);
    }

    step() {
      var c = this.cell;
      this.steps += 1;
      for (var i = 0; i < this.movers.length; i++) {
        var mv = this.movers[i];
        var phase = (this.steps * STEP_MS) / 1000 / mv.m.period_s;
        var off = (mv.m.travel * c * (1 - Math.cos(2 * Math.PI * phase))) / 2;
        var to = mv.m.axis === "x" ? { x: mv.home.x + off, y: mv.home.y } : { x: mv.home.x, y: mv.home.y + off };
        this.matter.body.setPosition(mv.body, to, true);
        mv.img.setPosition(to.x, to.y);
      }
      this.matter.world.step(STEP_MS);
      if (!this.rolling) {
        // at rest: nothing moves it but a moving wall, and then it rolls again
        if (this.speed() > STOP * c) this.rolling = true;
        return;
      }
      var b = this.ball.position;
      var speed = this.speed();
      var toHole = Math.sqrt((b.x - this.hole.x) * (b.x - this.hole.x) + (b.y - this.hole.y) * (b.y - this.hole.y));
      if (toHole < HOLE_R * c && speed < SINK * c) return this.sink();
      var cx = Math.floor((b.x - this.x0) / c);
      var cy = Math.floor((b.y - this.y0) / c);
      if (cy < 0 || cy >= ROWS || cx < 0 || cx >= COLS || this.L.rows[cy][cx] === "#") return this.putBack();
      if (this.L.rows[cy][cx] === "~") return this.splash();
      if (speed < STOP * c) {
        this.matter.body.setVelocity(this.ball, { x: 0, y: 0 });
        this.rolling = false;
        this.atRest();
      }
    }

    speed() {
      var v = this.ball.velocity;
      return Math.sqrt(v.x * v.x + v.y * v.y);
    }

    atRest() {
      if (this.strokes >= this.L.shots) {
        this.gf.failLevel("Out of shots");
        return;
      }
      this.aim = Math.atan2(this.hole.y - this.ball.position.y, this.hole.x - this.ball.position.x);
      this.showInfo();
      this.drawGuide();
    }

    /** Squeezed through a wall by a moving one (the solver's push can do that): back where it was hit, no penalty. */
    putBack() {
      this.rolling = false;
      this.matter.body.setVelocity(this.ball, { x: 0, y: 0 });
      this.matter.body.setPosition(this.ball, { x: this.shotFrom.x, y: this.shotFrom.y }, false);
      this.atRest();
    }

    splash() {
      var c = this.cell;
      this.rolling = false;
      this.strokes += 1; // the penalty stroke
      this.matter.body.setVelocity(this.ball, { x: 0, y: 0 });
      this.matter.body.setPosition(this.ball, { x: this.shotFrom.x, y: this.shotFrom.y }, false);
      this.gf.cue("splash");
      this.gf.track("ball_splashed", { level: this.gf.levelIndex + 1, shots: this.strokes });
      this.gf.toast("Splash! +1 stroke", 800);
      var ring = this.add.circle(this.ball.position.x, this.ball.position.y, BALL_R * c, this.palette.danger, 0.5);
      this.layer.add(ring);
      this.tweens.add({ targets: ring, scale: 3, alpha: 0, duration: 400, onComplete: function () { ring.destroy(); } });
      this.atRest();
    }

    sink() {
      this.sunk = true;
      this.rolling = false;
      this.matter.body.setVelocity(this.ball, { x: 0, y: 0 });
      this.matter.body.setPosition(this.ball, { x: this.hole.x, y: this.hole.y }, false);
      this.guide.clear();
      this.gf.cue("sink");
      var under = this.L.par - this.strokes;
      var points = this.gf.base * (1 + this.L.shots - this.strokes) + (this.strokes === 1 ? 5 * this.gf.base : 0);
      this.gf.track("ball_sunk", { level: this.gf.levelIndex + 1, shots: this.strokes, par: this.L.par });
      this.gf.addScore(points, this.hole.x, this.hole.y - 30);
      this.gf.toast(this.strokes === 1 ? "Hole in one!" : under > 0 ? "Under par!" : under === 0 ? "Par!" : "In!", 800);
      var self = this;
      this.tweens.add({
        targets: this.ballImg,
        scale: 0,
        x: this.hole.x,
        y: this.hole.y,
        duration: 280,
        onComplete: function () {
          // Long enough to read the call ("Par!") before the level's panel covers it.
          self.time.delayedCall(450, function () {
            self.gf.completeLevel();
          });
        },
      });
    }

    onCollisions(pairs) {
      if (!this.ball || !this.gf.playing) return;
      for (var i = 0; i < pairs.length; i++) {
        var pair = pairs[i];
        var other = pair.bodyA === this.ball ? pair.bodyB : pair.bodyB === this.ball ? pair.bodyA : null;
        if (!other) continue;
        this.gf.cue(other.label === "bumper" ? "bounce" : "putt");
      }
    }

    onTimeUp() {
      this.gf.failLevel("Time's up!");
    }

    observe() {
      var b = this.ball ? this.ball.position : { x: 0, y: 0 };
      return {
        playing: this.gf.playing,
        ball: [b.x, b.y],
        hole: [this.hole.x, this.hole.y],
        origin: [this.x0, this.y0],
        cell: this.cell,
        rolling: this.rolling,
        sunk: this.sunk,
        ready: this.ready(),
        strokes: this.strokes,
        shots: this.L.shots,
        par: this.L.par,
        aim: this.aim,
        power: this.power,
        pull: PULL,
        max_putt: this.maxPutt,
        speed: this.ball ? this.speed() : 0,
      };
    }
  }

  GF.registerMechanic("golf", GolfScene);
})();
