/* Word unscramble: tap the shuffled letter tiles in order to spell the hidden word. */
(function () {
  "use strict";

  var FEEDBACK_MS = 600;

  class UnscrambleScene extends GF.MechanicScene {
    static rngSeed(level, index) {
      return level.seed + index;
    }

    buildLevel(level, index) {
      this.L = level;
      this.rand = this.gf.rng(UnscrambleScene.rngSeed(level, index));
      this.index = 0;
      this.solved = 0;
      this.mistakes = 0;
      this.busy = true;
      this.now = 0;
      this.askedAt = 0;
      var a = this.area;
      this.progress = this.text(GF.width / 2, a.y + 22, "", 22);
      this.mascot = this.sprite(GF.width / 2, a.y + 120, "mascot", 120, 120);
      this.tweens.add({ targets: this.mascot, y: a.y + 112, duration: 900, yoyo: true, repeat: -1, ease: "Sine.easeInOut" });
      this.slotY = a.y + 260;
      this.tileY = a.y + 420;
      var by = Math.min(a.y + a.h - 40, this.tileY + 250);
      var bw = Math.min(200, (a.w - 60) / 2);
      this.buttons = [
        { name: "shuffle", x: GF.width / 2 - bw / 2 - 10, y: by, w: bw, h: 64 },
        { name: "clear", x: GF.width / 2 + bw / 2 + 10, y: by, w: bw, h: 64 },
      ];
      var self = this;
      this.buttons.forEach(function (b) {
        self.sprite(b.x, b.y, "button", b.w, b.h);
        self.text(b.x, b.y, b.name === "shuffle" ? "\u21bb Shuffle" : "\u232b Back", 26, "#ffffff").setStroke("#000000", 4);
      });
      this.slots = [];
      this.tiles = [];
      if (!this.keysBound) {
        this.keysBound = true;
        this.input.keyboard.on("keydown", function (e) {
          if (!self.gf.playing) return;
          if (e.code === "Backspace" || e.code === "Delete") self.takeBack(self.placed.length - 1);
        });
      }
      this.showPuzzle();
    }

    onLevelStart() {
      this.busy = false;
      this.askedAt = this.now;
    }

    puzzle() {
      return this.L.puzzles[this.index];
    }

    showPuzzle() {
      var self = this;
      this.slots.concat(this.tiles).forEach(function (o) {
        o.img.destroy();
        o.label.destroy();
      });
      var p = this.puzzle();
      var n = p.letters.length;
      var a = this.area;
      this.placed = [];
      this.cursor = 0;
      // slots: one row, as wide as the area allows
      var s = Math.min(68, (a.w - 20) / n - 8);
      var x0 = GF.width / 2 - ((s + 8) * n - 8) / 2 + s / 2;
      this.slots = [];
      for (var i = 0; i < n; i++) {
        var x = x0 + i * (s + 8);
        this.slots.push({ x: x, y: this.slotY, w: s, h: s * 1.15, img: this.sprite(x, this.slotY, "slot", s, s * 1.15), label: this.text(x, this.slotY, "", Math.round(s * 0.6)) });
      }
      // tiles: big enough for a finger, in two rows past six letters
      var perRow = n > 6 ? Math.ceil(n / 2) : n;
      var t = Math.min(84, (a.w - 30) / perRow - 12);
      this.tiles = [];
      for (var j = 0; j < n; j++) {
        var img = this.sprite(0, 0, "tile", t, t);
        var label = this.text(0, 0, p.letters[j].toUpperCase(), Math.round(t * 0.55), "#ffffff").setStroke("#000000", 5);
        this.tiles.push({ letter: p.letters[j], used: false, slot: j, x: 0, y: 0, w: t, h: t, img: img, label: label });
      }
      this.tileSize = t;
      this.perRow = perRow;
      this.layoutTiles(false);
      this.highlight();
      this.drawProgress();
      this.askedAt = this.now;
    }

    /** Puts each tile at the position of its `slot` (its place in the tray). */
    layoutTiles(animate) {
      var t = this.tileSize;
      var n = this.tiles.length;
      var perRow = this.perRow;
      var self = this;
      this.tiles.forEach(function (tile) {
        var row = Math.floor(tile.slot / perRow);
        var inRow = Math.min(perRow, n - row * perRow);
        var col = tile.slot - row * perRow;
        var x = GF.width / 2 - ((t + 12) * inRow - 12) / 2 + t / 2 + col * (t + 12);
        var y = self.tileY + row * (t + 16);
        tile.x = x;
        tile.y = y;
        if (animate) self.tweens.add({ targets: [tile.img, tile.label], x: x, y: y, duration: 180 });
        else {
          tile.img.setPosition(x, y);
          tile.label.setPosition(x, y);
        }
      });
    }

    highlight() {
      var cursor = this.cursor;
      this.tiles.forEach(function (tile) {
        tile.img.setFrame(tile.used ? "tile_used" : "tile").setDisplaySize(tile.w, tile.h);
        tile.label.setAlpha(tile.used ? 0.25 : 1);
        tile.label.setScale(tile.slot === cursor && !tile.used ? 1.2 : 1);
      });
    }

    drawProgress() {
      var allowed = this.L.mistakes_allowed - this.mistakes;
      this.progress.setText("Word " + Math.min(this.index + 1, this.L.puzzles.length) + " / " + this.L.puzzles.length + "     Mistakes left " + Math.max(0, allowed));
    }

    typed() {
      var self = this;
      return this.placed
        .map(function (i) {
          return self.tiles[i].letter;
        })
        .join("");
    }

    place(i) {
      if (this.busy || !this.gf.playing) return;
      var tile = this.tiles[i];
      if (!tile || tile.used) return;
      var slot = this.slots[this.placed.length];
      tile.used = true;
      this.placed.push(i);
      slot.label.setText(tile.letter.toUpperCase());
      slot.label.setScale(0.5);
      this.tweens.add({ targets: slot.label, scale: 1, duration: 120 });
      this.gf.cue("letter");
      this.highlight();
      if (this.placed.length === this.tiles.length) this.check();
    }

    takeBack(k) {
      if (this.busy || !this.gf.playing || k < 0 || k >= this.placed.length) return;
      var removed = this.placed.splice(k, 1)[0];
      this.tiles[removed].used = false;
      var self = this;
      this.slots.forEach(function (slot, j) {
        slot.label.setText(j < self.placed.length ? self.tiles[self.placed[j]].letter.toUpperCase() : "");
      });
      this.highlight();
    }

    shuffle() {
      if (this.busy || !this.gf.playing) return;
      var free = this.tiles.filter(function (t) {
        return !t.used;
      });
      var places = free.map(function (t) {
        return t.slot;
      });
      for (var i = places.length - 1; i > 0; i--) {
        var j = Math.floor(this.rand() * (i + 1));
        var tmp = places[i];
        places[i] = places[j];
        places[j] = tmp;
      }
      free.forEach(function (t, k) {
        t.slot = places[k];
      });
      this.layoutTiles(true);
      this.highlight();
      this.gf.cue("shuffle");
      this.gf.track("shuffled", { level: this.gf.levelIndex + 1 });
    }

    check() {
      var p = this.puzzle();
      var level = this.gf.levelIndex + 1;
      var self = this;
      this.busy = true;
      if (this.typed() === p.word) {
        this.solved += 1;
        this.gf.track("word_solved", { level: level, length: p.word.length, ms: Math.round(this.now - this.askedAt) });
        this.gf.cue("correct");
        this.gf.addScore(this.gf.base * p.word.length, GF.width / 2, this.slotY - 40);
        this.slots.forEach(function (slot, j) {
          slot.img.setFrame("tile").setDisplaySize(slot.w, slot.h);
          self.tweens.add({ targets: slot.label, y: slot.y - 14, yoyo: true, duration: 140, delay: j * 40 });
        });
        this.index += 1;
        this.time.delayedCall(FEEDBACK_MS, function () {
          self.next();
        });
        return;
      }
      this.mistakes += 1;
      this.gf.track("wrong_word", { level: level, length: p.word.length });
      this.gf.cue("wrong");
      this.cameras.main.shake(160, 0.006);
      this.drawProgress();
      this.time.delayedCall(FEEDBACK_MS, function () {
        if (!self.gf.playing) return;
        if (self.mistakes > self.L.mistakes_allowed) {
          self.gf.failLevel("Too many wrong words!");
          return;
        }
        self.busy = false;
        while (self.placed.length) self.takeBack(self.placed.length - 1);
      });
    }

    next() {
      if (!this.gf.playing) return;
      if (this.index >= this.L.puzzles.length) {
        this.gf.completeLevel();
        return;
      }
      this.showPuzzle();
      this.busy = false;
    }

    onPointer(type, x, y) {
      if (type !== "down") return;
      var hit = function (o) {
        return Math.abs(x - o.x) <= o.w / 2 + 4 && Math.abs(y - o.y) <= o.h / 2 + 4;
      };
      for (var i = 0; i < this.tiles.length; i++) {
        if (!this.tiles[i].used && hit(this.tiles[i])) {
          this.cursor = this.tiles[i].slot;
          this.place(i);
          return;
        }
      }
      for (var j = 0; j < this.placed.length; j++) {
        if (hit(this.slots[j])) {
          this.takeBack(j);
          return;
        }
      }
      for (var k = 0; k < this.buttons.length; k++) {
        if (hit(this.buttons[k])) {
          if (this.buttons[k].name === "shuffle") this.shuffle();
          else this.takeBack(this.placed.length - 1);
          return;
        }
      }
    }

    onSwipe() {
      /* tiles are tapped */
    }

    onAction(action) {
      var n = this.tiles.length;
      if (action === "primary") {
        var self = this;
        var at = this.tiles.findIndex(function (t) {
          return t.slot === self.cursor;
        });
        this.place(at);
        var free = this.tiles.filter(function (t) {
          return !t.used;
        });
        if (free.length && this.tiles[at] && this.tiles[at].used) this.cursor = free[0].slot;
      } else if (action === "left") this.cursor = (this.cursor + n - 1) % n;
      else if (action === "right") this.cursor = (this.cursor + 1) % n;
      else if (action === "up") this.shuffle();
      else if (action === "down") this.takeBack(this.placed.length - 1);
      this.highlight();
    }

    tick(time, dt) {
      this.now += dt;
    }

    observe() {
      var p = this.L.puzzles[Math.min(this.index, this.L.puzzles.length - 1)];
      return {
        index: this.index,
        letters: p.letters,
        tiles: this.tiles.map(function (t) {
          return { letter: t.letter, used: t.used, x: t.x, y: t.y, w: t.w, h: t.h };
        }),
        slots: this.slots.map(function (s) {
          return [s.x, s.y, s.w, s.h];
        }),
        typed: this.typed(),
        cursor: this.cursor,
        solved: this.solved,
        mistakes: this.mistakes,
        busy: this.busy,
        language: this.params.language || "en",
      };
    }
  }

  GF.registerMechanic("unscramble", UnscrambleScene);
})();
