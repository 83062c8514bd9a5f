/* Maze: reach the exit before the clock runs out; coins score, ghosts cost a life. */
(function () {
  "use strict";

  var DIRS = { up: [0, -1], down: [0, 1], left: [-1, 0], right: [1, 0] };
  var REPEAT_MS = 125; // one step per 125 ms while a direction is held (8 cells a second)
  var FOG_RADIUS = 3.5;

  class MazeScene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return 7919 * (index + 1) + level.grid.length * 131 + level.grid[0].length;
    }

    buildLevel(level, index) {
      var grid = level.grid;
      this.L = level;
      this.rows = grid.length;
      this.cols = grid[0].length;
      this.g = this.fitGrid(this.cols, this.rows);
      var g = this.g;
      this.boardPanel(g.x0, g.y0, g.cell * this.cols, g.cell * this.rows);
      this.walls = [];
      this.coins = {};
      this.ghosts = [];
      var floor = this.add.graphics();
      this.layer.add(floor);
      floor.fillStyle(this.palette.surface, 1);
      floor.fillRect(g.x0, g.y0, g.cell * this.cols, g.cell * this.rows);
      var wallKey = "maze-walls";
      if (this.textures.exists(wallKey)) this.textures.remove(wallKey);
      var walls = this.make.graphics({ x: 0, y: 0 }, false);
      walls.fillStyle(this.palette.secondary, 1);
      walls.lineStyle(2, this.palette.background, 0.5);
      for (var y = 0; y < this.rows; y++) {
        this.walls.push([]);
        for (var x = 0; x < this.cols; x++) {
          var ch = grid[y][x];
          this.walls[y].push(ch === "#");
          if (ch === "#") {
            walls.fillRect(x * g.cell, y * g.cell, g.cell, g.cell);
            walls.strokeRect(x * g.cell + 1, y * g.cell + 1, g.cell - 2, g.cell - 2);
          } else if (ch === "S") {
            this.start = [x, y];
          } else if (ch === "E") {
            this.exit = [x, y];
          } else if (ch === "o") {
            var c = this.center(x, y);
            this.coins[x + "," + y] = this.sprite(c.x, c.y, "coin", g.cell * 0.7, g.cell * 0.7);
          } else if (ch === "g") {
            this.ghosts.push({ x: x, y: y, home: [x, y], last: null, img: null });
          }
        }
      }
      // One texture for all the walls: a big maze stays one draw call.
      walls.generateTexture(wallKey, g.cell * this.cols, g.cell * this.rows);
      walls.destroy();
      var wallImage = this.add.image(g.x0, g.y0, wallKey).setOrigin(0, 0);
      this.layer.add(wallImage);
      var e = this.center(this.exit[0], this.exit[1]);
      this.exitImage = this.sprite(e.x, e.y, "exit", g.cell * 0.95, g.cell * 0.95);
      this.tweens.add({ targets: this.exitImage, angle: 8, yoyo: true, repeat: -1, duration: 500 });
      var self = this;
      this.ghosts.forEach(function (ghost) {
        var c = self.center(ghost.x, ghost.y);
        ghost.img = self.sprite(c.x, c.y, "ghost", g.cell * 0.9, g.cell * 0.9);
      });
      this.rand = this.gf.rng(MazeScene.rngSeed(level, index));
      var s = this.center(this.start[0], this.start[1]);
      this.player = this.sprite(s.x, s.y, "player", g.cell * 0.8, g.cell * 0.8);
      this.px = this.start[0];
      this.py = this.start[1];
      this.lastMove = 0;
      this.ghostClock = 0;
      this.safeUntil = 0;
      this.now = 0;
      this.fog = null;
      if (this.params.fog) {
        this.fog = this.add.graphics();
        this.layer.add(this.fog);
        this.drawFog();
      }
    }

    center(x, y) {
      return { x: this.g.x0 + (x + 0.5) * this.g.cell, y: this.g.y0 + (y + 0.5) * this.g.cell };
    }

    drawFog() {
      if (!this.fog) return;
      var g = this.g;
      this.fog.clear();
      this.fog.fillStyle(0x000000, 0.93);
      for (var y = 0; y < this.rows; y++) {
        for (var x = 0; x < this.cols; x++) {
          var d = Math.sqrt((x - this.px) * (x - this.px) + (y - this.py) * (y - this.py));
          if (d > FOG_RADIUS && !(x === this.exit[0] && y === this.exit[1])) {
            this.fog.fillRect(g.x0 + x * g.cell, g.y0 + y * g.cell, g.cell, g.cell);
          }
        }
      }
    }

    onAction(action) {
      if (DIRS[action]) {
        this.tryMove(action);
        this.lastMove = this.now;
      }
    }

    tryMove(action) {
      var d = DIRS[action];
      var nx = this.px + d[0];
      var ny = this.py + d[1];
      if (nx < 0 || ny < 0 || nx >= this.cols || ny >= this.rows || this.walls[ny][nx]) return false;
      this.px = nx;
      this.py = ny;
      var c = this.center(nx, ny);
      this.tweens.killTweensOf(this.player);
      this.tweens.add({ targets: this.player, x: c.x, y: c.y, duration: 90 });
      this.gf.cue("step");
      var coin = this.coins[nx + "," + ny];
      if (coin) {
        delete this.coins[nx + "," + ny];
        coin.destroy();
        this.gf.cue("coin");
        this.gf.addScore(this.gf.base * 5, c.x, c.y);
        this.gf.track("coin_collected", { level: this.gf.levelIndex + 1, left: Object.keys(this.coins).length });
      }
      this.drawFog();
      if (nx === this.exit[0] && ny === this.exit[1]) {
        this.gf.cue("exit");
        this.gf.completeLevel();
        return true;
      }
      this.checkGhosts();
      return true;
    }

    tick(time, dt) {
      this.now += dt;
      var held = null;
      ["up", "down", "left", "right"].forEach(function (a) {
        if (this.gf.held(a)) held = a;
      }, this);
      if (held && this.now - this.lastMove >= REPEAT_MS) {
        this.lastMove = this.now;
        this.tryMove(held);
        if (!this.gf.playing) return;
      }
      if (!this.ghosts.length) return;
      this.ghostClock += dt;
      var stepMs = 1000 / this.L.ghost_speed;
      while (this.ghostClock >= stepMs) {
        this.ghostClock -= stepMs;
        this.moveGhosts();
      }
      this.checkGhosts();
    }

    moveGhosts() {
      var self = this;
      this.ghosts.forEach(function (ghost) {
        var options = [];
        Object.keys(DIRS).forEach(function (name) {
          var d = DIRS[name];
          var nx = ghost.x + d[0];
          var ny = ghost.y + d[1];
          if (nx < 0 || ny < 0 || nx >= self.cols || ny >= self.rows || self.walls[ny][nx]) return;
          if (ghost.last && nx === ghost.last[0] && ny === ghost.last[1]) return;
          options.push([nx, ny]);
        });
        if (!options.length && ghost.last) options.push(ghost.last);
        if (!options.length) return;
        var next = options[Math.floor(self.rand() * options.length)];
        ghost.last = [ghost.x, ghost.y];
        ghost.x = next[0];
        ghost.y = next[1];
        var c = self.center(ghost.x, ghost.y);
        self.tweens.add({ targets: ghost.img, x: c.x, y: c.y, duration: Math.min(250, 900 / self.L.ghost_speed) });
      });
    }

    checkGhosts() {
      if (this.now < this.safeUntil) return;
      for (var i = 0; i < this.ghosts.length; i++) {
        var ghost = this.ghosts[i];
        if (ghost.x === this.px && ghost.y === this.py) {
          this.gf.cue("ghost");
          this.gf.track("caught_by_ghost", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
          this.cameras.main.shake(200, 0.01);
          if (this.gf.loseLife("A ghost caught you")) this.respawn();
          return;
        }
      }
    }

    respawn() {
      this.px = this.start[0];
      this.py = this.start[1];
      var s = this.center(this.px, this.py);
      this.tweens.killTweensOf(this.player);
      this.player.setPosition(s.x, s.y);
      this.safeUntil = this.now + 1500;
      this.drawFog();
    }

    observe() {
      return {
        width: this.cols,
        height: this.rows,
        player: [this.px, this.py],
        exit: this.exit,
        coins: Object.keys(this.coins).map(function (k) {
          return k.split(",").map(Number);
        }),
        ghosts: this.ghosts.map(function (g) {
          return [g.x, g.y];
        }),
      };
    }
  }

  GF.registerMechanic("maze", MazeScene);
})();
