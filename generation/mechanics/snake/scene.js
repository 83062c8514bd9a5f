/* Snake: steer a growing snake to the food; walls and your own tail cost a life. */
(function () {
  "use strict";

  var DIRS = { up: [0, -1], down: [0, 1], left: [-1, 0], right: [1, 0] };
  var OPPOSITE = { up: "down", down: "up", left: "right", right: "left" };
  var ANGLE = { up: 0, right: 90, down: 180, left: -90 };
  var START_LENGTH = 3;
  var BONUS_MS = 5000;

  function key(x, y) {
    return x + "," + y;
  }

  class SnakeScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return 1013 * (index + 1) + level.width * 31 + level.height;
    }

    buildLevel(level, index) {
      this.L = level;
      this.wrap = !!this.params.wrap_walls;
      this.g = this.fitGrid(level.width, level.height + 1);
      var g = this.g;
      g.y0 += g.cell; // one row on top for the goal line
      this.boardPanel(g.x0, g.y0, g.cell * level.width, g.cell * level.height);
      var floor = this.add.graphics();
      floor.fillStyle(this.palette.surface, 0.45);
      for (var y = 0; y < level.height; y++) {
        for (var x = 0; x < level.width; x++) {
          if ((x + y) % 2 === 0) floor.fillRect(g.x0 + x * g.cell, g.y0 + y * g.cell, g.cell, g.cell);
        }
      }
      if (!this.wrap) {
        floor.lineStyle(3, this.palette.primary, 0.8);
        floor.strokeRect(g.x0 - 2, g.y0 - 2, g.cell * level.width + 4, g.cell * level.height + 4);
      }
      this.layer.add(floor);
      this.walls = {};
      var self = this;
      level.walls.forEach(function (w) {
        self.walls[key(w[0], w[1])] = true;
        var c = self.center(w[0], w[1]);
        self.sprite(c.x, c.y, "wall", g.cell, g.cell);
      });
      this.rand = this.gf.rng(SnakeScene.rngSeed(level, index));
      this.eaten = 0;
      this.speed = level.speed;
      this.goal = this.text(GF.width / 2, g.y0 - g.cell / 2, "", 22);
      this.segments = [];
      this.food = null;
      this.bonus = null;
      this.foodImage = null;
      this.bonusImage = null;
      this.resetSnake();
      this.placeFood();
      this.updateGoal();
    }

    center(x, y) {
      return { x: this.g.x0 + (x + 0.5) * this.g.cell, y: this.g.y0 + (y + 0.5) * this.g.cell };
    }

    updateGoal() {
      this.goal.setText("Food " + this.eaten + " / " + this.L.target);
    }

    resetSnake() {
      var s = this.L.start;
      this.body = [];
      for (var i = 0; i < START_LENGTH; i++) {
        var x = s[0] - i;
        if (this.wrap) x = (x + this.L.width) % this.L.width;
        this.body.push([x, s[1]]);
      }
      this.dir = "right";
      this.queue = [];
      this.acc = 0;
      this.grow = 0;
      this.segments.forEach(function (img) {
        img.destroy();
      });
      this.segments = [];
      this.render();
    }

    render() {
      var cell = this.g.cell;
      while (this.segments.length < this.body.length) {
        var frame = this.segments.length === 0 ? "head" : "body";
        var img = this.sprite(0, 0, frame, cell * (frame === "head" ? 1 : 0.9), cell * (frame === "head" ? 1 : 0.9));
        img.setDepth(2);
        this.segments.push(img);
      }
      for (var i = 0; i < this.body.length; i++) {
        var c = this.center(this.body[i][0], this.body[i][1]);
        this.segments[i].setPosition(c.x, c.y);
      }
      this.segments[0].setAngle(ANGLE[this.dir]);
      this.layer.bringToTop(this.segments[0]);
    }

    occupied(x, y) {
      for (var i = 0; i < this.body.length; i++) if (this.body[i][0] === x && this.body[i][1] === y) return true;
      return false;
    }

    freeCell() {
      var free = [];
      for (var y = 0; y < this.L.height; y++) {
        for (var x = 0; x < this.L.width; x++) {
          if (this.walls[key(x, y)] || this.occupied(x, y)) continue;
          if (this.food && this.food[0] === x && this.food[1] === y) continue;
          if (this.bonus && this.bonus[0] === x && this.bonus[1] === y) continue;
          free.push([x, y]);
        }
      }
      return free.length ? free[Math.floor(this.rand() * free.length)] : null;
    }

    placeFood() {
      this.food = this.freeCell();
      if (this.foodImage) this.foodImage.destroy();
      this.foodImage = null;
      if (!this.food) return;
      var c = this.center(this.food[0], this.food[1]);
      this.foodImage = this.sprite(c.x, c.y, "food", this.g.cell * 0.8, this.g.cell * 0.8);
      this.tweens.add({ targets: this.foodImage, scale: this.foodImage.scale * 1.15, yoyo: true, repeat: -1, duration: 400 });
    }

    maybeBonus() {
      if (!this.params.bonus_food || this.bonus || this.rand() > 0.3) return;
      this.bonus = this.freeCell();
      if (!this.bonus) return;
      var c = this.center(this.bonus[0], this.bonus[1]);
      this.bonusImage = this.sprite(c.x, c.y, "bonus", this.g.cell * 0.9, this.g.cell * 0.9);
      this.bonusLeft = BONUS_MS;
    }

    clearBonus() {
      if (this.bonusImage) this.bonusImage.destroy();
      this.bonusImage = null;
      this.bonus = null;
    }

    onAction(action) {
      if (!DIRS[action]) return;
      var last = this.queue.length ? this.queue[this.queue.length - 1] : this.dir;
      if (action === last || action === OPPOSITE[last] || this.queue.length >= 3) return;
      this.queue.push(action);
    }

    tick(time, dt) {
      if (this.bonus) {
        this.bonusLeft -= dt;
        if (this.bonusImage) this.bonusImage.setAlpha(this.bonusLeft < 1500 ? 0.4 + 0.6 * ((this.bonusLeft / 150) % 2 < 1) : 1);
        if (this.bonusLeft <= 0) this.clearBonus();
      }
      this.acc += dt;
      var stepMs = 1000 / this.speed;
      while (this.acc >= stepMs) {
        this.acc -= stepMs;
        if (!this.step()) return;
      }
    }

    step() {
      if (this.queue.length) {
        this.dir = this.queue.shift();
        this.gf.cue("turn");
      }
      var d = DIRS[this.dir];
      var head = this.body[0];
      var nx = head[0] + d[0];
      var ny = head[1] + d[1];
      if (this.wrap) {
        nx = (nx + this.L.width) % this.L.width;
        ny = (ny + this.L.height) % this.L.height;
      }
      var outside = nx < 0 || ny < 0 || nx >= this.L.width || ny >= this.L.height;
      var tail = this.body[this.body.length - 1];
      var intoTail = this.grow === 0 && tail[0] === nx && tail[1] === ny;
      if (outside || this.walls[key(nx, ny)] || (this.occupied(nx, ny) && !intoTail)) {
        var cause = outside || this.walls[key(nx, ny)] ? "wall" : "tail";
        this.gf.cue("crash");
        this.gf.track("snake_crashed", { length: this.body.length, level: this.gf.levelIndex + 1, cause: cause });
        this.cameras.main.shake(180, 0.01);
        if (this.gf.loseLife(cause === "wall" ? "You hit a wall" : "You bit your tail")) this.resetSnake();
        return false;
      }
      this.body.unshift([nx, ny]);
      if (this.grow > 0) this.grow -= 1;
      else this.body.pop();
      var c = this.center(nx, ny);
      if (this.food && nx === this.food[0] && ny === this.food[1]) {
        this.eaten += 1;
        this.grow += this.params.grow_by;
        this.speed = Math.min(25, this.speed * (1 + this.params.speed_up));
        this.gf.cue("eat");
        this.gf.addScore(this.gf.base, c.x, c.y);
        this.gf.track("food_eaten", { length: this.body.length + this.grow, level: this.gf.levelIndex + 1, bonus: false });
        this.updateGoal();
        this.render();
        if (this.eaten >= this.L.target) {
          this.gf.completeLevel();
          return false;
        }
        this.placeFood();
        this.maybeBonus();
      } else if (this.bonus && nx === this.bonus[0] && ny === this.bonus[1]) {
        this.clearBonus();
        this.gf.cue("bonus");
        this.gf.addScore(this.gf.base * 5, c.x, c.y);
        this.gf.track("food_eaten", { length: this.body.length, level: this.gf.levelIndex + 1, bonus: true });
      }
      this.render();
      return true;
    }

    observe() {
      return {
        width: this.L.width,
        height: this.L.height,
        wrap: this.wrap,
        head: this.body[0],
        body: this.body,
        dir: this.queue.length ? this.queue[this.queue.length - 1] : this.dir,
        food: this.food,
        bonus: this.bonus,
        eaten: this.eaten,
        target: this.L.target,
        speed: this.speed,
      };
    }
  }

  GF.registerMechanic("snake", SnakeScene);
})();
