/* Spelling bee: tap the one right spelling among common mistakes. */
(function () {
  "use strict";

  var FEEDBACK_MS = 800;
  var DIGIT_KEYS = ["Digit1", "Digit2", "Digit3", "Digit4", "Digit5"];
  var NUMPAD_KEYS = ["Numpad1", "Numpad2", "Numpad3", "Numpad4", "Numpad5"];

  class SpellingScene extends GF.MechanicScene {
    buildLevel(level) {
      this.L = level;
      var a = this.area;
      this.index = 0;
      this.correct = 0;
      this.mistakes = 0;
      this.streak = 0;
      this.busy = true;
      this.selected = 0;
      this.now = 0;
      this.askedAt = 0;
      this.qLeft = null;
      this.progress = this.text(GF.width / 2, a.y + 22, "", 22);
      this.globe = this.sprite(a.x + 56, a.y + 96, "mascot", 76, 76);
      this.tweens.add({ targets: this.globe, angle: 8, duration: 1200, yoyo: true, repeat: -1, ease: "Sine.easeInOut" });
      var cardY = a.y + 50;
      var cardH = Math.min(250, a.h * 0.32);
      this.sprite(GF.width / 2 + 40, cardY + cardH / 2, "card", a.w - 120, cardH);
      this.questionText = this.text(GF.width / 2 + 40, cardY + cardH * 0.38, "", 30).setStroke("#000000", 4);
      this.questionText.setWordWrapWidth(a.w - 160, true).setAlign("center");
      this.subjectText = this.text(GF.width / 2 + 40, cardY + cardH * 0.75, "", 64);
      this.timerBar = this.add.graphics();
      this.layer.add(this.timerBar);
      this.timerBox = { x: a.x + 120, y: cardY + cardH - 18, w: a.w - 160, h: 10 };
      this.mark = this.sprite(a.x + a.w - 40, cardY + 20, "right", 52, 52).setVisible(false);
      var count = level.questions[0].choices.length;
      var top = cardY + cardH + 24;
      var bh = Math.min(100, (a.y + a.h - top - 14 * count) / count);
      var bw = a.w - 40;
      this.buttons = [];
      for (var i = 0; i < count; i++) {
        var cy = top + bh / 2 + i * (bh + 14);
        var img = this.sprite(GF.width / 2, cy, "button", bw, bh);
        var label = this.text(GF.width / 2, cy, "", 30, "#ffffff").setStroke("#000000", 5);
        label.setWordWrapWidth(bw - 70, true).setAlign("center");
        var key = this.text(a.x + 42, cy, String(i + 1), 18, "#ffffff").setStroke("#000000", 3);
        this.buttons.push({ x: GF.width / 2, y: cy, w: bw, h: bh, img: img, label: label, key: key, value: null });
      }
      var self = this;
      if (!this.keysBound) {
        this.keysBound = true;
        this.input.keyboard.on("keydown", function (e) {
          if (!self.gf.playing) return;
          var n = DIGIT_KEYS.indexOf(e.code);
          if (n < 0) n = NUMPAD_KEYS.indexOf(e.code);
          if (n >= 0 && n < self.buttons.length) self.answer(n);
        });
      }
      this.showQuestion();
      this.drawProgress();
    }

    onLevelStart() {
      this.busy = false;
      this.askedAt = this.now;
      this.qLeft = this.L.question_time_s;
    }

    question() {
      return this.L.questions[this.index];
    }

    showQuestion() {
      var q = this.question();
      this.questionText.setText("Which one is spelled right?");
      this.subjectText.setText("");
      this.questionText.setY(this.subjectText.y - 50);
      this.questionText.setScale(0.7);
      this.tweens.add({ targets: this.questionText, scale: 1, duration: 160 });
      this.buttons.forEach(function (b, i) {
        b.value = i;
        b.label.setText(q.choices[i]);
        b.label.setFontSize(q.choices[i].length > 12 ? 32 : 38);
        b.img.setFrame("button").setDisplaySize(b.w, b.h).setAlpha(1);
      });
      this.highlight();
      this.mark.setVisible(false);
      this.askedAt = this.now;
      this.qLeft = this.L.question_time_s;
      this.drawTimer();
    }

    highlight() {
      var sel = this.selected;
      this.buttons.forEach(function (b, i) {
        b.label.setScale(i === sel ? 1.08 : 1);
        b.img.setAlpha(i === sel ? 1 : 0.85);
      });
    }

    drawProgress() {
      var L = this.L;
      var allowed = L.questions.length - L.target;
      this.progress.setText("Right " + this.correct + " / " + L.target + "     Mistakes left " + Math.max(0, allowed - this.mistakes));
    }

    drawTimer() {
      var g = this.timerBar;
      g.clear();
      if (!this.L.question_time_s) return;
      var b = this.timerBox;
      var share = Math.max(0, this.qLeft / this.L.question_time_s);
      g.fillStyle(this.palette.background, 0.5);
      g.fillRect(b.x, b.y, b.w, b.h);
      g.fillStyle(share < 0.3 ? this.palette.danger : this.palette.accent, 1);
      g.fillRect(b.x, b.y, b.w * share, b.h);
    }

    answer(i) {
      if (this.busy || !this.gf.playing) return;
      this.selected = i;
      this.judge(i === this.question().answer, i);
    }

    judge(right, picked) {
      var q = this.question();
      var level = this.gf.levelIndex + 1;
      var self = this;
      this.busy = true;
      this.gf.track("spelling_answered", { level: level, correct: right, length: q.word.length, ms: Math.round(this.now - this.askedAt) });
      this.buttons.forEach(function (b, i) {
        if (i === q.answer) b.img.setFrame("button_pick").setDisplaySize(b.w, b.h);
        else b.img.setAlpha(0.4);
      });
      this.mark.setFrame(right ? "right" : "wrong").setDisplaySize(52, 52).setVisible(true);
      if (right) {
        this.correct += 1;
        this.streak += 1;
        var speed = this.L.question_time_s ? Math.max(0, Math.round((this.qLeft / this.L.question_time_s) * 5)) : 0;
        var b = this.buttons[picked];
        this.gf.addScore(this.gf.base * (1 + Math.min(4, this.streak - 1)) + speed * 2, b.x, b.y - 30);
        if (this.streak >= 3 && this.streak % 3 === 0) {
          this.gf.cue("streak");
          this.gf.toast(this.streak + " in a row!", 600);
          this.gf.track("streak", { level: level, length: this.streak });
        } else this.gf.cue("correct");
      } else {
        this.mistakes += 1;
        this.streak = 0;
        this.gf.cue(picked < 0 ? "timeout" : "wrong");
        this.cameras.main.shake(160, 0.006);
      }
      this.index += 1;
      this.drawProgress();
      this.time.delayedCall(FEEDBACK_MS, function () {
        self.next();
      });
    }

    next() {
      if (!this.gf.playing) return;
      if (this.correct >= this.L.target) {
        this.gf.completeLevel();
        return;
      }
      if (this.mistakes > this.L.questions.length - this.L.target) {
        this.gf.track("too_many_mistakes", { level: this.gf.levelIndex + 1, correct: this.correct });
        this.gf.failLevel("Too many mistakes!");
        return;
      }
      this.showQuestion();
      this.busy = false;
    }

    onPointer(type, x, y) {
      if (type !== "down") return;
      for (var i = 0; i < this.buttons.length; i++) {
        var b = this.buttons[i];
        if (Math.abs(x - b.x) <= b.w / 2 && Math.abs(y - b.y) <= b.h / 2 + 6) {
          this.answer(i);
          return;
        }
      }
    }

    onSwipe() {
      /* answers are tapped */
    }

    onAction(action) {
      var n = this.buttons.length;
      if (action === "primary") {
        this.answer(this.selected);
        return;
      }
      if (action === "up" || action === "left") this.selected = (this.selected + n - 1) % n;
      if (action === "down" || action === "right") this.selected = (this.selected + 1) % n;
      this.highlight();
    }

    tick(time, dt) {
      this.now += dt;
      if (this.busy || !this.L.question_time_s) return;
      this.qLeft -= dt / 1000;
      if (this.qLeft <= 0) {
        this.qLeft = 0;
        this.gf.toast("Too slow!", 500);
        this.judge(false, -1);
      }
      this.drawTimer();
    }

    observe() {
      var q = this.L.questions[Math.min(this.index, this.L.questions.length - 1)];
      return {
        index: this.index,
        shown: this.questionText.text,
        choices: q.choices,
        buttons: this.buttons.map(function (b) {
          return [b.x, b.y, b.w, b.h];
        }),
        correct: this.correct,
        mistakes: this.mistakes,
        target: this.L.target,
        selected: this.selected,
        busy: this.busy,
      };
    }
  }

  GF.registerMechanic("spelling", SpellingScene);
})();
