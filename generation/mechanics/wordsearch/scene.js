/* Word search: drag from a hidden word's first letter to its last to find it. */
(function () {
  "use strict";

  class WordsearchScene extends GF.MechanicScene {
    buildLevel(level) {
      this.L = level;
      var a = this.area;
      var n = level.size;
      this.n = n;
      this.cell = Math.min(72, (a.w - 20) / n);
      this.x0 = GF.width / 2 - (this.cell * n) / 2;
      this.y0 = a.y + 20;
      this.found = [];
      this.start = null;
      this.end = null;
      this.cursor = [0, 0];
      this.marking = false;
      this.now = 0;
      this.lastFoundAt = 0;
      this.cells = [];
      for (var r = 0; r < n; r++) {
        for (var c = 0; c < n; c++) {
          var x = this.x0 + c * this.cell + this.cell / 2;
          var y = this.y0 + r * this.cell + this.cell / 2;
          this.sprite(x, y, "cell", this.cell - 4, this.cell - 4);
          this.text(x, y, level.grid[r][c].toUpperCase(), Math.round(this.cell * 0.55));
        }
      }
      this.marks = this.add.graphics();
      this.layer.add(this.marks);
      this.selection = this.add.graphics();
      this.layer.add(this.selection);
      this.cursorSprite = this.sprite(0, 0, "cursor", this.cell, this.cell);
      // the list of words to find, in columns below the grid
      var listTop = this.y0 + n * this.cell + 24;
      var cols = level.words.length > 6 ? 3 : 2;
      var colW = (a.w - 20) / cols;
      var rows = Math.ceil(level.words.length / cols);
      var rowH = Math.min(44, (a.y + a.h - listTop - 70) / rows);
      var self = this;
      this.labels = level.words.map(function (p, i) {
        var x = a.x + 10 + colW * (i % cols) + colW / 2;
        var y = listTop + rowH * Math.floor(i / cols) + rowH / 2;
        return self.text(x, y, p.word.toUpperCase(), Math.min(28, rowH * 0.7));
      });
      this.mascot = this.sprite(a.x + a.w - 50, a.y + a.h - 50, "mascot", 80, 80);
      this.drawCursor();
    }

    onLevelStart() {
      this.lastFoundAt = this.now;
    }

    cellAt(x, y) {
      var c = Math.floor((x - this.x0) / this.cell);
      var r = Math.floor((y - this.y0) / this.cell);
      if (r < 0 || c < 0 || r >= this.n || c >= this.n) return null;
      return [r, c];
    }

    center(rc) {
      return [this.x0 + rc[1] * this.cell + this.cell / 2, this.y0 + rc[0] * this.cell + this.cell / 2];
    }

    /** The end snapped to the nearest straight line (row, column or diagonal) from the start. */
    snap(start, end) {
      var dr = end[0] - start[0];
      var dc = end[1] - start[1];
      if (dr === 0 || dc === 0 || Math.abs(dr) === Math.abs(dc)) return end;
      var k = Math.max(Math.abs(dr), Math.abs(dc));
      if (Math.abs(dr) * 2 < Math.abs(dc)) return [start[0], end[1]];
      if (Math.abs(dc) * 2 < Math.abs(dr)) return [end[0], start[1]];
      var r = start[0] + Math.sign(dr) * k;
      var c = start[1] + Math.sign(dc) * k;
      r = Math.max(0, Math.min(this.n - 1, r));
      c = Math.max(0, Math.min(this.n - 1, c));
      var m = Math.min(Math.abs(r - start[0]), Math.abs(c - start[1]));
      return [start[0] + Math.sign(dr) * m, start[1] + Math.sign(dc) * m];
    }

    line(start, end) {
      var dr = Math.sign(end[0] - start[0]);
      var dc = Math.sign(end[1] - start[1]);
      var len = Math.max(Math.abs(end[0] - start[0]), Math.abs(end[1] - start[1])) + 1;
      var out = [];
      for (var i = 0; i < len; i++) out.push([start[0] + dr * i, start[1] + dc * i]);
      return out;
    }

    stroke(g, start, end, color, alpha) {
      var a = this.center(start);
      var b = this.center(end);
      g.lineStyle(this.cell * 0.7, color, alpha);
      g.beginPath();
      g.moveTo(a[0], a[1]);
      g.lineTo(b[0], b[1]);
      g.strokePath();
      g.fillStyle(color, alpha);
      g.fillCircle(a[0], a[1], this.cell * 0.35);
      g.fillCircle(b[0], b[1], this.cell * 0.35);
    }

    drawSelection() {
      this.selection.clear();
      if (this.start && this.end) this.stroke(this.selection, this.start, this.end, this.palette.secondary, 0.45);
    }

    drawCursor() {
      var p = this.center(this.cursor);
      this.cursorSprite.setPosition(p[0], p[1]);
    }

    select(start, end) {
      var cells = this.line(start, end);
      var key = cells.map(String).join("|");
      var back = cells.slice().reverse().map(String).join("|");
      var level = this.gf.levelIndex + 1;
      var self = this;
      var hit = -1;
      this.L.words.forEach(function (p, i) {
        if (hit >= 0 || self.found.indexOf(i) >= 0) return;
        var own = [];
        for (var k = 0; k < p.word.length; k++) own.push([p.row + p.dr * k, p.col + p.dc * k]);
        var ownKey = own.map(String).join("|");
        if (ownKey === key || ownKey === back) hit = i;
      });
      this.start = null;
      this.end = null;
      this.drawSelection();
      if (cells.length < 2) return;
      if (hit < 0) {
        this.gf.track("wrong_selection", { level: level, length: cells.length });
        this.gf.cue("miss");
        return;
      }
      var p = this.L.words[hit];
      this.found.push(hit);
      this.stroke(this.marks, [p.row, p.col], [p.row + p.dr * (p.word.length - 1), p.col + p.dc * (p.word.length - 1)], this.palette.accent, 0.5);
      this.labels[hit].setAlpha(0.35);
      this.tweens.add({ targets: this.labels[hit], scale: 1.3, yoyo: true, duration: 150 });
      this.gf.track("word_found", { level: level, length: p.word.length, ms: Math.round(this.now - this.lastFoundAt) });
      this.lastFoundAt = this.now;
      this.gf.cue("found");
      var mid = this.center([p.row + p.dr * Math.floor(p.word.length / 2), p.col + p.dc * Math.floor(p.word.length / 2)]);
      this.gf.addScore(this.gf.base * p.word.length, mid[0], mid[1] - 20);
      if (this.found.length === this.L.words.length) this.gf.completeLevel();
    }

    onPointer(type, x, y) {
      if (!this.gf.playing) return;
      var rc = this.cellAt(x, y);
      if (type === "down") {
        if (!rc) return;
        this.start = rc;
        this.end = rc;
        this.cursor = rc;
        this.gf.cue("select");
      } else if (type === "move" && this.start && rc) {
        this.end = this.snap(this.start, rc);
      } else if (type === "up" && this.start) {
        if (rc) this.end = this.snap(this.start, rc);
        this.select(this.start, this.end);
        return;
      }
      this.drawSelection();
      this.drawCursor();
    }

    onSwipe() {
      /* letters are dragged over */
    }

    onAction(action) {
      var n = this.n;
      var r = this.cursor[0];
      var c = this.cursor[1];
      if (action === "up") r = Math.max(0, r - 1);
      if (action === "down") r = Math.min(n - 1, r + 1);
      if (action === "left") c = Math.max(0, c - 1);
      if (action === "right") c = Math.min(n - 1, c + 1);
      this.cursor = [r, c];
      if (action === "primary") {
        if (!this.marking) {
          this.marking = true;
          this.start = this.cursor;
          this.end = this.cursor;
          this.gf.cue("select");
        } else {
          this.marking = false;
          this.select(this.start, this.snap(this.start, this.cursor));
        }
      } else if (this.marking) {
        this.end = this.snap(this.start, this.cursor);
      }
      this.drawSelection();
      this.drawCursor();
    }

    tick(time, dt) {
      this.now += dt;
    }

    observe() {
      var self = this;
      return {
        grid: this.L.grid,
        words: this.L.words.map(function (p) {
          return p.word;
        }),
        found: this.found.map(function (i) {
          return self.L.words[i].word;
        }),
        geometry: [this.x0, this.y0, this.cell, this.n],
        cursor: this.cursor,
        marking: this.marking,
      };
    }
  }

  GF.registerMechanic("wordsearch", WordsearchScene);
})();
