/* Snake: steer a growing snake to the food; walls and your own tail cost a life.
 *
 * Multiplayer battle (gf.multiplayer.active): 2-4 snakes on one board. The host runs the board:
 * the others send their turns ({kind: "dir", dir}), the host steps every snake and sends the board
 * after each step ({kind: "state", ...}, the snapshot a returning player gets). A snake that hits a
 * wall, any snake or another head is out; the last one moving, or the first to eat the level's
 * target, wins (the host reports the outcome; more food decides when the last two crash together).
 */
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
      this.battle = this.gf.multiplayer.active;
      this.bindBattle();
      this.eaten = 0;
      this.speed = level.speed;
      this.goal = this.text(GF.width / 2, g.y0 - g.cell / 2, "", 22);
      this.segments = [];
      this.food = null;
      this.bonus = null;
      this.foodImage = null;
      this.bonusImage = null;
      if (this.battle) {
        this.battleSetup();
        return;
      }
      this.resetSnake();
      this.placeFood();
      this.updateGoal();
    }

    // --- the battle ---------------------------------------------------------------------------------

    bindBattle() {
      if (this.battleBound) return;
      this.battleBound = true;
      var self = this;
      this.gf.multiplayer.on("dir", function (data, from) {
        if (self.battle && self.gf.multiplayer.isHost) self.queueTurn(from, data.dir);
      });
      this.gf.multiplayer.on("update", function (data, from) {
        // The host's board; the host itself already shows it.
        if (self.battle && data.kind === "state" && !self.gf.multiplayer.isHost) self.applyBoard(data);
      });
    }

    battleSetup() {
      var mp = this.gf.multiplayer;
      var L = this.L;
      var seats = mp.players.map(function (p) {
        return p.seat;
      }).sort();
      this.snakes = {};
      this.sprites = {};
      this.over = false;
      this.board = 0;
      this.acc = 0;
      var self = this;
      seats.forEach(function (seat, k) {
        var y = Math.max(0, Math.min(L.height - 1, Math.round(((k + 1) * L.height) / (seats.length + 1)) - 1));
        var left = k % 2 === 0;
        var x0 = left ? START_LENGTH - 1 : L.width - START_LENGTH;
        var body = [];
        for (var i = 0; i < START_LENGTH; i++) body.push([left ? x0 - i : x0 + i, y]);
        self.snakes[seat] = { body: body, dir: left ? "right" : "left", queue: [], alive: true, eaten: 0, grow: 0 };
        self.sprites[seat] = [];
      });
      this.battleFood = null;
      if (mp.isHost) this.battleFood = this.battleFreeCell();
      else if (mp.snapshot && mp.snapshot.kind === "state") this.applyBoard(mp.snapshot);
      this.renderBattle();
    }

    seatTint(seat) {
      var tints = [null, this.palette.accent, this.palette.danger, this.palette.secondary];
      return tints[seat % tints.length];
    }

    queueTurn(seat, dir) {
      var snake = this.snakes && this.snakes[seat];
      if (!snake || !snake.alive || !DIRS[dir]) return;
      var last = snake.queue.length ? snake.queue[snake.queue.length - 1] : snake.dir;
      if (dir === last || dir === OPPOSITE[last] || snake.queue.length >= 3) return;
      snake.queue.push(dir);
    }

    battleOccupied(x, y) {
      var self = this;
      return Object.keys(this.snakes).some(function (seat) {
        return self.snakes[seat].body.some(function (c) {
          return c[0] === x && c[1] === y;
        });
      });
    }

    battleFreeCell() {
      var free = [];
      for (var y = 0; y < this.L.height; y++) {
        for (var x = 0; x < this.L.width; x++) {
          if (!this.walls[key(x, y)] && !this.battleOccupied(x, y)) free.push([x, y]);
        }
      }
      return free.length ? free[Math.floor(this.rand() * free.length)] : null;
    }

    /** One step of the board (the host only): move every snake, judge crashes and food, send the board. */
    battleStep() {
      var self = this;
      var L = this.L;
      var seats = Object.keys(this.snakes).map(Number);
      var heads = {};
      seats.forEach(function (seat) {
        var sn = self.snakes[seat];
        if (!sn.alive) return;
        if (sn.queue.length) sn.dir = sn.queue.shift();
        var d = DIRS[sn.dir];
        var nx = sn.body[0][0] + d[0];
        var ny = sn.body[0][1] + d[1];
        if (self.wrap) {
          nx = (nx + L.width) % L.width;
          ny = (ny + L.height) % L.height;
        }
        heads[seat] = [nx, ny];
      });
      // Tails that move away this step free their cell.
      var blocked = {};
      seats.forEach(function (seat) {
        var sn = self.snakes[seat];
        var keep = sn.alive && sn.grow === 0 ? sn.body.length - 1 : sn.body.length;
        for (var i = 0; i < keep; i++) blocked[key(sn.body[i][0], sn.body[i][1])] = true;
      });
      var dead = [];
      Object.keys(heads).forEach(function (seat) {
        var h = heads[seat];
        var outside = h[0] < 0 || h[1] < 0 || h[0] >= L.width || h[1] >= L.height;
        var headOn = Object.keys(heads).some(function (other) {
          return other !== seat && heads[other][0] === h[0] && heads[other][1] === h[1];
        });
        if (outside || self.walls[key(h[0], h[1])] || blocked[key(h[0], h[1])] || headOn) dead.push(Number(seat));
      });
      Object.keys(heads).forEach(function (seat) {
        var sn = self.snakes[seat];
        if (dead.indexOf(Number(seat)) >= 0) {
          sn.alive = false;
          return;
        }
        var h = heads[seat];
        sn.body.unshift(h);
        if (sn.grow > 0) sn.grow -= 1;
        else sn.body.pop();
        if (self.battleFood && h[0] === self.battleFood[0] && h[1] === self.battleFood[1]) {
          sn.eaten += 1;
          sn.grow += self.params.grow_by;
          self.battleFood = self.battleFreeCell();
        }
      });
      this.board += 1;
      var alive = seats.filter(function (seat) {
        return self.snakes[seat].alive;
      });
      var champion = seats.filter(function (seat) {
        return self.snakes[seat].alive && self.snakes[seat].eaten >= L.target;
      });
      this.gf.multiplayer.send(this.boardData());
      this.afterBoard(dead);
      if (champion.length || alive.length <= 1) this.battleOutcome(champion.length ? champion[0] : alive.length ? alive[0] : null);
    }

    boardData() {
      var self = this;
      return {
        kind: "state",
        board: this.board,
        food: this.battleFood,
        snakes: Object.keys(this.snakes).map(function (seat) {
          var sn = self.snakes[seat];
          return { seat: Number(seat), body: sn.body, dir: sn.dir, alive: sn.alive, eaten: sn.eaten };
        }),
      };
    }

    /** The host's board as relayed (or the snapshot of a returning player). */
    applyBoard(data) {
      if (!Array.isArray(data.snakes) || typeof data.board !== "number" || data.board < this.board) return;
      var self = this;
      var died = [];
      data.snakes.forEach(function (sn) {
        var mine = self.snakes[sn.seat];
        if (!mine || !Array.isArray(sn.body)) return;
        if (mine.alive && !sn.alive) died.push(sn.seat);
        mine.body = sn.body;
        mine.dir = sn.dir;
        mine.alive = !!sn.alive;
        mine.eaten = sn.eaten | 0;
      });
      this.board = data.board;
      this.battleFood = data.food || null;
      this.afterBoard(died);
    }

    afterBoard(died) {
      var mp = this.gf.multiplayer;
      var mine = this.snakes[mp.seat];
      if (mine && mine.eaten > this.eaten) {
        var c = this.center(mine.body[0][0], mine.body[0][1]);
        this.eaten = mine.eaten;
        this.gf.cue("eat");
        this.gf.addScore(this.gf.base, c.x, c.y);
        this.gf.track("food_eaten", { length: mine.body.length, level: 1, bonus: false });
      }
      if (died.indexOf(mp.seat) >= 0) {
        this.gf.cue("crash");
        this.cameras.main.shake(180, 0.01);
        this.gf.toast("You crashed!", 900);
        this.gf.track("snake_crashed", { length: mine.body.length, level: 1, cause: "battle" });
      }
      this.renderBattle();
    }

    battleOutcome(winner) {
      if (this.over) return;
      this.over = true;
      var self = this;
      var scores = {};
      Object.keys(this.snakes).forEach(function (seat) {
        scores[seat] = self.snakes[seat].eaten;
      });
      if (winner === null) {
        // Everyone crashed at once: more food wins, a tie is a draw.
        var best = -1;
        Object.keys(scores).forEach(function (seat) {
          if (scores[seat] > best) {
            best = scores[seat];
            winner = Number(seat);
          } else if (scores[seat] === best) {
            winner = null;
          }
        });
      }
      this.gf.multiplayer.send({ kind: "outcome", winner_seat: winner, scores: scores });
    }

    renderBattle() {
      var self = this;
      var cell = this.g.cell;
      Object.keys(this.snakes).forEach(function (seat) {
        var sn = self.snakes[seat];
        var imgs = self.sprites[seat];
        while (imgs.length < sn.body.length) {
          var frame = imgs.length === 0 ? "head" : "body";
          var img = self.sprite(0, 0, frame, cell * (frame === "head" ? 1 : 0.9), cell * (frame === "head" ? 1 : 0.9));
          var tint = self.seatTint(Number(seat));
          if (tint !== null) img.setTint(tint);
          img.setDepth(2);
          imgs.push(img);
        }
        while (imgs.length > sn.body.length) imgs.pop().destroy();
        for (var i = 0; i < sn.body.length; i++) {
          var c = self.center(sn.body[i][0], sn.body[i][1]);
          imgs[i].setPosition(c.x, c.y).setAlpha(sn.alive ? 1 : 0.3);
        }
        if (imgs.length) {
          imgs[0].setAngle(ANGLE[sn.dir] || 0);
          self.layer.bringToTop(imgs[0]);
        }
      });
      if (this.foodImage) this.foodImage.destroy();
      this.foodImage = null;
      if (this.battleFood) {
        var f = this.center(this.battleFood[0], this.battleFood[1]);
        this.foodImage = this.sprite(f.x, f.y, "food", cell * 0.8, cell * 0.8);
      }
      var mine = this.snakes[this.gf.multiplayer.seat];
      this.goal.setText((mine && !mine.alive ? "Out!  " : "") + "Food " + (mine ? mine.eaten : 0) + " / " + this.L.target +
        "   " + Object.keys(this.snakes).filter(function (seat) { return self.snakes[seat].alive; }).length + " snakes left");
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
      if (this.battle) {
        var mp = this.gf.multiplayer;
        var mine = this.snakes[mp.seat];
        if (!mine || !mine.alive || this.over) return;
        if (mp.isHost) this.queueTurn(mp.seat, action);
        else if (action !== mine.dir && action !== OPPOSITE[mine.dir]) mp.send({ kind: "dir", dir: action });
        return;
      }
      var last = this.queue.length ? this.queue[this.queue.length - 1] : this.dir;
      if (action === last || action === OPPOSITE[last] || this.queue.length >= 3) return;
      this.queue.push(action);
    }

    tick(time, dt) {
      if (this.battle) {
        if (!this.gf.multiplayer.isHost || this.over) return;
        this.acc += dt;
        while (this.acc >= 1000 / this.speed && !this.over) {
          this.acc -= 1000 / this.speed;
          this.battleStep();
        }
        return;
      }
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
      if (this.battle) {
        var mine = this.snakes[this.gf.multiplayer.seat];
        var self = this;
        var others = [];
        Object.keys(this.snakes).forEach(function (seat) {
          if (Number(seat) !== self.gf.multiplayer.seat) others.push({ body: self.snakes[seat].body, alive: self.snakes[seat].alive, dir: self.snakes[seat].dir });
        });
        return {
          battle: true,
          width: this.L.width,
          height: this.L.height,
          wrap: this.wrap,
          head: mine.body[0],
          body: mine.body,
          dir: mine.queue.length ? mine.queue[mine.queue.length - 1] : mine.dir,
          alive: mine.alive,
          others: others,
          food: this.battleFood,
          board: this.board,
          eaten: mine.eaten,
          target: this.L.target,
        };
      }
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
