/* Match-3: swap neighbouring gems to line up three or more; clear the target within the moves. */
(function () {
  "use strict";

  var SWAP_MS = 130;
  var CLEAR_MS = 160;
  var FALL_MS = 190;
  var HINT_AFTER_MS = 5000;
  var DIRS = { up: [-1, 0], down: [1, 0], left: [0, -1], right: [0, 1] };

  function findMatches(board) {
    var rows = board.length;
    var cols = board[0].length;
    var found = {};
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols - 2; c++) {
        var v = board[r][c];
        if (v >= 0 && v === board[r][c + 1] && v === board[r][c + 2]) {
          found[r + "," + c] = found[r + "," + (c + 1)] = found[r + "," + (c + 2)] = [r, c];
        }
      }
    }
    for (var c2 = 0; c2 < cols; c2++) {
      for (var r2 = 0; r2 < rows - 2; r2++) {
        var w = board[r2][c2];
        if (w >= 0 && w === board[r2 + 1][c2] && w === board[r2 + 2][c2]) {
          found[r2 + "," + c2] = found[r2 + 1 + "," + c2] = found[r2 + 2 + "," + c2] = true;
        }
      }
    }
    return Object.keys(found).map(function (k) {
      return k.split(",").map(Number);
    });
  }

  function possibleSwap(board) {
    var rows = board.length;
    var cols = board[0].length;
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols; c++) {
        var pairs = [[r, c + 1], [r + 1, c]];
        for (var i = 0; i < 2; i++) {
          var r2 = pairs[i][0];
          var c2 = pairs[i][1];
          if (r2 >= rows || c2 >= cols) continue;
          var t = board[r][c];
          board[r][c] = board[r2][c2];
          board[r2][c2] = t;
          var ok = findMatches(board).length > 0;
          board[r2][c2] = board[r][c];
          board[r][c] = t;
          if (ok) return [[r, c], [r2, c2]];
        }
      }
    }
    return null;
  }

  class Match3Scene extends GF.MechanicScene {
    /** The seed of GF.rng for a level: flame.dart's rngSeed gives the same (tests/generation/test_rng.py). */
    static rngSeed(level, index) {
      return level.seed;
    }

    buildLevel(level, index) {
      this.L = level;
      this.R = level.rows;
      this.C = level.cols;
      this.rand = this.gf.rng(Match3Scene.rngSeed(level, index));
      this.board = level.board.map(function (row) {
        return row.split("").map(Number);
      });
      var a = this.area;
      var band = 70;
      var cell = Math.floor(Math.min(a.w / this.C, (a.h - band) / this.R));
      this.g = { cell: cell, x0: Math.round(a.x + (a.w - cell * this.C) / 2), y0: Math.round(a.y + band + (a.h - band - cell * this.R) / 2) };
      var g = this.g;
      this.boardPanel(g.x0, g.y0, cell * this.C, cell * this.R);
      var tiles = this.add.graphics();
      tiles.fillStyle(this.palette.background, 0.35);
      for (var r = 0; r < this.R; r++) {
        for (var c = 0; c < this.C; c++) {
          if ((r + c) % 2 === 0) tiles.fillRect(g.x0 + c * cell, g.y0 + r * cell, cell, cell);
        }
      }
      this.layer.add(tiles);
      this.gems = [];
      for (var r2 = 0; r2 < this.R; r2++) {
        this.gems.push([]);
        for (var c2 = 0; c2 < this.C; c2++) this.gems[r2].push(this.makeGem(r2, c2, this.board[r2][c2]));
      }
      this.moves = level.moves;
      this.cleared = 0;
      this.busy = false;
      this.selected = null;
      this.cursor = [0, 0];
      this.dragFrom = null;
      this.idle = 0;
      this.hinted = false;
      this.selectBox = this.sprite(0, 0, "cursor", cell, cell).setVisible(false).setDepth(3);
      this.cursorBox = this.add.graphics().setDepth(3);
      this.layer.add(this.cursorBox);
      this.keyboardUsed = false;
      this.status = this.text(GF.width / 2, a.y + 30, "", 24);
      this.updateStatus();
    }

    pos(r, c) {
      return { x: this.g.x0 + (c + 0.5) * this.g.cell, y: this.g.y0 + (r + 0.5) * this.g.cell };
    }

    makeGem(r, c, kind) {
      var p = this.pos(r, c);
      return this.sprite(p.x, p.y, "gem" + kind, this.g.cell * 0.82, this.g.cell * 0.82);
    }

    updateStatus() {
      this.status.setText("Moves " + this.moves + "    Gems " + Math.min(this.cleared, this.L.target) + " / " + this.L.target);
    }

    cellAt(x, y) {
      var c = Math.floor((x - this.g.x0) / this.g.cell);
      var r = Math.floor((y - this.g.y0) / this.g.cell);
      if (r < 0 || c < 0 || r >= this.R || c >= this.C) return null;
      return [r, c];
    }

    showSelection() {
      if (!this.selected) {
        this.selectBox.setVisible(false);
        return;
      }
      var p = this.pos(this.selected[0], this.selected[1]);
      this.selectBox.setPosition(p.x, p.y).setVisible(true);
    }

    drawCursor() {
      this.cursorBox.clear();
      if (!this.keyboardUsed) return;
      var g = this.g;
      this.cursorBox.lineStyle(4, this.palette.accent, 1);
      this.cursorBox.strokeRect(g.x0 + this.cursor[1] * g.cell + 2, g.y0 + this.cursor[0] * g.cell + 2, g.cell - 4, g.cell - 4);
    }

    select(cell) {
      this.idle = 0;
      if (this.busy) return;
      if (!this.selected) {
        this.selected = cell;
      } else if (this.selected[0] === cell[0] && this.selected[1] === cell[1]) {
        this.selected = null;
      } else if (Math.abs(this.selected[0] - cell[0]) + Math.abs(this.selected[1] - cell[1]) === 1) {
        var from = this.selected;
        this.selected = null;
        this.trySwap(from, cell);
      } else {
        this.selected = cell;
      }
      this.showSelection();
    }

    onPointer(type, x, y) {
      var cell = this.cellAt(x, y);
      if (type === "down") {
        this.dragFrom = cell;
        if (cell) this.select(cell);
      } else if (type === "move" && this.dragFrom && cell && this.selected) {
        var d = Math.abs(cell[0] - this.dragFrom[0]) + Math.abs(cell[1] - this.dragFrom[1]);
        if (d === 1 && this.selected[0] === this.dragFrom[0] && this.selected[1] === this.dragFrom[1]) {
          this.dragFrom = null;
          this.select(cell);
        }
      } else if (type === "up") {
        this.dragFrom = null;
      }
    }

    onSwipe() {
      /* swipes are drags here: handled by onPointer */
    }

    onAction(action) {
      this.keyboardUsed = true;
      this.idle = 0;
      if (action === "primary") {
        this.select(this.cursor.slice());
      } else if (DIRS[action]) {
        var d = DIRS[action];
        var r = Math.max(0, Math.min(this.R - 1, this.cursor[0] + d[0]));
        var c = Math.max(0, Math.min(this.C - 1, this.cursor[1] + d[1]));
        if (this.selected && this.selected[0] === this.cursor[0] && this.selected[1] === this.cursor[1] && (r !== this.cursor[0] || c !== this.cursor[1])) {
          this.select([r, c]);
        }
        this.cursor = [r, c];
      }
      this.drawCursor();
    }

    swapCells(a, b) {
      var t = this.board[a[0]][a[1]];
      this.board[a[0]][a[1]] = this.board[b[0]][b[1]];
      this.board[b[0]][b[1]] = t;
      var gi = this.gems[a[0]][a[1]];
      this.gems[a[0]][a[1]] = this.gems[b[0]][b[1]];
      this.gems[b[0]][b[1]] = gi;
    }

    animateTo(r, c, ms) {
      var p = this.pos(r, c);
      this.tweens.add({ targets: this.gems[r][c], x: p.x, y: p.y, duration: ms });
    }

    trySwap(a, b) {
      this.busy = true;
      this.gf.cue("swap");
      this.swapCells(a, b);
      this.animateTo(a[0], a[1], SWAP_MS);
      this.animateTo(b[0], b[1], SWAP_MS);
      var self = this;
      this.time.delayedCall(SWAP_MS + 10, function () {
        if (!findMatches(self.board).length) {
          self.gf.cue("invalid");
          self.swapCells(a, b);
          self.animateTo(a[0], a[1], SWAP_MS);
          self.animateTo(b[0], b[1], SWAP_MS);
          self.time.delayedCall(SWAP_MS + 10, function () {
            self.busy = false;
          });
          return;
        }
        self.moves -= 1;
        self.updateStatus();
        self.resolve(1);
      });
    }

    resolve(combo) {
      var matches = findMatches(this.board);
      var self = this;
      if (!matches.length) {
        this.settle();
        return;
      }
      var factor = combo > 1 && this.params.cascade_bonus ? 2 : 1;
      var center = this.pos(matches[0][0], matches[0][1]);
      this.cleared += matches.length;
      this.gf.addScore(matches.length * this.gf.base * factor, center.x, center.y);
      this.gf.cue(combo > 1 ? "cascade" : "match");
      this.gf.track("match_made", { size: matches.length, combo: combo, level: this.gf.levelIndex + 1 });
      this.updateStatus();
      matches.forEach(function (m) {
        var gem = self.gems[m[0]][m[1]];
        self.board[m[0]][m[1]] = -1;
        self.gems[m[0]][m[1]] = null;
        self.tweens.add({ targets: gem, alpha: 0, scaleX: gem.scaleX * 1.4, scaleY: gem.scaleY * 1.4, duration: CLEAR_MS, onComplete: function () { gem.destroy(); } });
      });
      this.time.delayedCall(CLEAR_MS + 10, function () {
        self.collapse();
        self.time.delayedCall(FALL_MS + 20, function () {
          self.resolve(combo + 1);
        });
      });
    }

    collapse() {
      for (var c = 0; c < this.C; c++) {
        var write = this.R - 1;
        for (var r = this.R - 1; r >= 0; r--) {
          if (this.board[r][c] < 0) continue;
          if (write !== r) {
            this.board[write][c] = this.board[r][c];
            this.gems[write][c] = this.gems[r][c];
            this.board[r][c] = -1;
            this.gems[r][c] = null;
            this.animateTo(write, c, FALL_MS);
          }
          write -= 1;
        }
        for (var k = write; k >= 0; k--) {
          var kind = Math.floor(this.rand() * this.L.colors);
          this.board[k][c] = kind;
          var gem = this.makeGem(k, c, kind);
          gem.y = this.g.y0 - (write - k + 1) * this.g.cell;
          this.gems[k][c] = gem;
          this.animateTo(k, c, FALL_MS);
        }
      }
    }

    settle() {
      if (this.cleared >= this.L.target) {
        this.busy = false;
        this.gf.completeLevel();
        return;
      }
      if (this.moves <= 0) {
        this.busy = false;
        this.gf.track("out_of_moves", { level: this.gf.levelIndex + 1, cleared: this.cleared });
        this.gf.failLevel("Out of moves!");
        return;
      }
      if (!possibleSwap(this.board)) this.reshuffle();
      this.busy = false;
    }

    reshuffle() {
      var kinds = [];
      for (var r = 0; r < this.R; r++) for (var c = 0; c < this.C; c++) kinds.push(this.board[r][c]);
      for (var attempt = 0; attempt < 200; attempt++) {
        for (var i = kinds.length - 1; i > 0; i--) {
          var j = Math.floor(this.rand() * (i + 1));
          var t = kinds[i];
          kinds[i] = kinds[j];
          kinds[j] = t;
        }
        var board = [];
        for (var r2 = 0; r2 < this.R; r2++) board.push(kinds.slice(r2 * this.C, (r2 + 1) * this.C));
        if (!findMatches(board).length && possibleSwap(board)) break;
        if (attempt === 199) {
          for (var r3 = 0; r3 < this.R; r3++) for (var c3 = 0; c3 < this.C; c3++) board[r3][c3] = Math.floor(this.rand() * this.L.colors);
        }
      }
      this.board = board;
      for (var r4 = 0; r4 < this.R; r4++) {
        for (var c4 = 0; c4 < this.C; c4++) {
          this.gems[r4][c4].destroy();
          this.gems[r4][c4] = this.makeGem(r4, c4, board[r4][c4]);
        }
      }
      this.gf.toast("Shuffle!", 600);
    }

    tick(time, dt) {
      if (this.busy || !this.params.hints) return;
      this.idle += dt;
      if (this.idle > HINT_AFTER_MS && !this.hinted) {
        this.hinted = true;
        var swap = possibleSwap(this.board);
        if (!swap) return;
        var self = this;
        swap.forEach(function (cell) {
          var gem = self.gems[cell[0]][cell[1]];
          if (gem) self.tweens.add({ targets: gem, alpha: 0.35, yoyo: true, repeat: 2, duration: 250 });
        });
      }
      if (this.idle < HINT_AFTER_MS) this.hinted = false;
    }

    observe() {
      return {
        rows: this.R,
        cols: this.C,
        board: this.board,
        moves: this.moves,
        cleared: this.cleared,
        target: this.L.target,
        busy: this.busy,
        selected: this.selected,
        cursor: this.cursor,
        grid: [this.g.x0, this.g.y0, this.g.cell],
      };
    }
  }

  GF.registerMechanic("match3", Match3Scene);
})();
