/* Typing race: type each word before its clock runs out, on the keyboard or the on-screen keys. */
(function () {
  "use strict";

  var ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

  class TypingScene extends GF.MechanicScene {
    buildLevel(level) {
      this.L = level;
      var a = this.area;
      this.index = 0;
      this.typed = 0;
      this.misses = 0;
      this.busy = true;
      this.now = 0;
      this.shownAt = 0;
      this.left = level.word_time_s;
      this.progress = this.text(GF.width / 2, a.y + 22, "", 22);
      this.mascot = this.sprite(GF.width / 2, a.y + 110, "mascot", 110, 110);
      var cardY = a.y + 250;
      this.sprite(GF.width / 2, cardY, "card", a.w - 40, 150);
      this.done = this.text(0, cardY - 10, "", 56, "#" + ("000000" + this.palette.accent.toString(16)).slice(-6)).setOrigin(0, 0.5).setStroke("#000000", 5);
      this.rest = this.text(0, cardY - 10, "", 56).setOrigin(0, 0.5);
      this.bar = this.add.graphics();
      this.layer.add(this.bar);
      this.barBox = { x: a.x + 40, y: cardY + 50, w: a.w - 80, h: 12 };
      // the on-screen keyboard
      var kw = (a.w - 20) / 10;
      var kh = 70;
      var top = Math.min(a.y + a.h - 3 * (kh + 8) - 10, cardY + 130);
      this.keys = [];
      var self = this;
      ROWS.forEach(function (row, r) {
        var x0 = GF.width / 2 - (row.length * kw) / 2 + kw / 2;
        for (var i = 0; i < row.length; i++) {
          var x = x0 + i * kw;
          var y = top + r * (kh + 8) + kh / 2;
          var img = self.sprite(x, y, "key", kw - 6, kh);
          self.text(x, y, row[i].toUpperCase(), 30, "#ffffff").setStroke("#000000", 4);
          self.keys.push({ letter: row[i], x: x, y: y, w: kw - 6, h: kh, img: img });
        }
      });
      if (!this.keysBound) {
        this.keysBound = true;
        this.input.keyboard.on("keydown", function (e) {
          if (!self.gf.playing || !e.key || e.key.length !== 1 || !/[a-z]/i.test(e.key)) return;
          // letters are typing here: not the runtime's WASD, P (pause) or M (mute) shortcuts
          if (e.stopPropagation) e.stopPropagation();
          self.letter(e.key.toLowerCase());
        });
      }
      this.showWord();
    }

    onLevelStart() {
      this.busy = false;
      this.shownAt = this.now;
      this.left = this.L.word_time_s;
    }

    word() {
      return this.L.words[this.index];
    }

    showWord() {
      var w = this.word();
      this.typed = 0;
      this.left = this.L.word_time_s;
      this.shownAt = this.now;
      this.drawWord();
      this.drawProgress();
    }

    drawWord() {
      var w = this.word().toUpperCase();
      this.done.setText(w.slice(0, this.typed));
      this.rest.setText(w.slice(this.typed));
      var total = this.done.width + this.rest.width;
      this.done.setX(GF.width / 2 - total / 2);
      this.rest.setX(GF.width / 2 - total / 2 + this.done.width);
    }

    drawProgress() {
      this.progress.setText("Word " + Math.min(this.index + 1, this.L.words.length) + " / " + this.L.words.length + "     Misses left " + Math.max(0, this.L.misses_allowed - this.misses));
    }

    drawBar() {
      var g = this.bar;
      var b = this.barBox;
      var share = Math.max(0, this.left / this.L.word_time_s);
      g.clear();
      g.fillStyle(this.palette.background, 0.5);
      g.fillRect(b.x, b.y, b.w, b.h);
      g.fillStyle(share < 0.3 ? this.palette.danger : this.palette.accent, 1);
      g.fillRect(b.x, b.y, b.w * share, b.h);
    }

    flash(letter) {
      var key = this.keys.find(function (k) {
        return k.letter === letter;
      });
      if (!key) return;
      key.img.setFrame("key_hit").setDisplaySize(key.w, key.h);
      this.time.delayedCall(120, function () {
        key.img.setFrame("key").setDisplaySize(key.w, key.h);
      });
    }

    letter(ch) {
      if (this.busy || !this.gf.playing) return;
      this.flash(ch);
      var w = this.word();
      var level = this.gf.levelIndex + 1;
      if (w[this.typed] !== ch) {
        this.gf.track("typo", { level: level });
        this.gf.cue("typo");
        this.cameras.main.shake(80, 0.004);
        return;
      }
      this.typed += 1;
      this.gf.cue("key");
      this.drawWord();
      if (this.typed < w.length) return;
      this.gf.track("word_typed", { level: level, length: w.length, ms: Math.round(this.now - this.shownAt) });
      this.gf.cue("word");
      var speed = Math.round((this.left / this.L.word_time_s) * 5);
      this.gf.addScore(this.gf.base * w.length + speed * 2, GF.width / 2, this.done.y - 50);
      this.advance();
    }

    advance() {
      this.index += 1;
      if (this.index >= this.L.words.length) {
        this.busy = true;
        this.gf.completeLevel();
        return;
      }
      this.showWord();
    }

    onPointer(type, x, y) {
      if (type !== "down") return;
      for (var i = 0; i < this.keys.length; i++) {
        var k = this.keys[i];
        if (Math.abs(x - k.x) <= k.w / 2 + 3 && Math.abs(y - k.y) <= k.h / 2 + 4) {
          this.letter(k.letter);
          return;
        }
      }
    }

    onSwipe() {
      /* keys are tapped */
    }

    onAction() {
      /* letters only: arrows and Space have no use here */
    }

    tick(time, dt) {
      this.now += dt;
      if (this.busy) return;
      this.left -= dt / 1000;
      this.drawBar();
      if (this.left > 0) return;
      var level = this.gf.levelIndex + 1;
      this.misses += 1;
      this.gf.track("word_missed", { level: level, length: this.word().length });
      this.gf.cue("miss");
      if (this.misses > this.L.misses_allowed) {
        this.busy = true;
        this.gf.failLevel("Too many words ran out!");
        return;
      }
      this.gf.toast("Too slow!", 500);
      this.advance();
    }

    observe() {
      return {
        index: this.index,
        word: this.L.words[Math.min(this.index, this.L.words.length - 1)],
        typed: this.typed,
        misses: this.misses,
        busy: this.busy,
        keys: this.keys.map(function (k) {
          return [k.letter, k.x, k.y];
        }),
      };
    }
  }

  GF.registerMechanic("typing", TypingScene);
})();
