/* Math quiz: tap the right answer to each timed question; enough right answers finish the level.
 *
 * Multiplayer duel (gf.multiplayer.active): everyone gets the same questions. A tap is sent
 * ({kind: "answer", q, value}) and applied in the order the server relays the answers: the first
 * right answer takes the point, a wrong answer is out for that question; when everyone is out the
 * question is lost. Every game moves on together; after the last question the host reports the
 * outcome (most points wins). The host also calls time on a question nobody answers.
 */
(function () {
  "use strict";

  var SYMBOL = { "+": "+", "-": "\u2212", "*": "\u00d7", "/": "\u00f7" };
  var FEEDBACK_MS = 650;
  var DIGIT_KEYS = ["Digit1", "Digit2", "Digit3", "Digit4", "Digit5", "Digit6"];
  var NUMPAD_KEYS = ["Numpad1", "Numpad2", "Numpad3", "Numpad4", "Numpad5", "Numpad6"];

  class MathQuizScene extends GF.MechanicScene {
    buildLevel(level) {
      this.L = level;
      var a = this.area;
      this.index = 0;
      this.correct = 0;
      this.mistakes = 0;
      this.streak = 0;
      this.busy = true;
      this.selected = 0;
      this.askedAt = 0;
      this.now = 0;
      this.qLeft = null;
      this.results = [];
      this.progress = this.text(GF.width / 2, a.y + 24, "", 22);
      this.dots = this.add.graphics();
      this.layer.add(this.dots);
      var cardY = a.y + 70;
      var cardH = Math.min(220, a.h * 0.3);
      this.sprite(GF.width / 2, cardY + cardH / 2, "card", a.w - 40, cardH);
      this.questionText = this.text(GF.width / 2, cardY + cardH / 2 - 10, "", 64);
      this.timerBar = this.add.graphics();
      this.layer.add(this.timerBar);
      this.timerBox = { x: a.x + 40, y: cardY + cardH - 30, w: a.w - 80, h: 12 };
      this.mark = this.sprite(a.x + a.w - 60, cardY + 40, "right", 56, 56).setVisible(false);
      // Answer buttons: two columns, as many rows as needed.
      var count = level.questions[0].choices.length;
      var rows = Math.ceil(count / 2);
      var top = cardY + cardH + 30;
      var bh = Math.min(120, (a.y + a.h - top - 20 * rows) / rows);
      var bw = (a.w - 60) / 2;
      this.buttons = [];
      for (var i = 0; i < count; i++) {
        var col = i % 2;
        var row = Math.floor(i / 2);
        var cx = a.x + 20 + bw / 2 + col * (bw + 20);
        var cy = top + bh / 2 + row * (bh + 20);
        if (count % 2 === 1 && i === count - 1) cx = GF.width / 2;
        var img = this.sprite(cx, cy, "button", bw, bh);
        var label = this.text(cx, cy, "", 44, "#ffffff").setStroke("#000000", 5);
        var key = this.text(cx - bw / 2 + 18, cy - bh / 2 + 16, String(i + 1), 16, "#ffffff").setStroke("#000000", 3);
        this.buttons.push({ x: cx, y: cy, w: bw, h: bh, img: img, label: label, key: key, value: null });
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
      this.duel = this.gf.multiplayer.active;
      this.points = {};
      this.out = {};
      this.bindDuel();
      this.showQuestion();
      this.drawProgress();
    }

    bindDuel() {
      if (this.duelBound) return;
      this.duelBound = true;
      var self = this;
      this.gf.multiplayer.on("answer", function (data, from) {
        if (self.duel) self.duelAnswer(data, from);
      });
      this.gf.multiplayer.on("timeout", function (data) {
        if (self.duel && data.q === self.index && !self.busy) self.duelSettle(null);
      });
    }

    /** A relayed answer: the first right one takes question `q`, a wrong one is out for it. */
    duelAnswer(data, from) {
      if (data.q !== this.index || this.busy || this.out[from]) return;
      var q = this.question();
      if (data.value === q.answer) {
        this.duelSettle(from);
        return;
      }
      this.out[from] = true;
      if (from === this.gf.multiplayer.seat) {
        this.cameras.main.shake(160, 0.006);
        this.gf.cue("wrong");
        this.gf.toast("Out for this one", 500);
      }
      var everyone = this.gf.multiplayer.players.every(function (p) {
        return this.out[p.seat];
      }, this);
      if (everyone) this.duelSettle(null);
    }

    /** Question settled: `winner` (a seat) took it, or nobody did. Then the next one, or the end. */
    duelSettle(winner) {
      var q = this.question();
      var mp = this.gf.multiplayer;
      var mine = winner === mp.seat;
      this.busy = true;
      this.results[this.index] = mine;
      if (winner !== null) this.points[winner] = (this.points[winner] || 0) + 1;
      this.gf.track("question_answered", { level: 1, correct: mine, op: q.op, ms: Math.round(this.now - this.askedAt) });
      this.buttons.forEach(function (b) {
        if (b.value === q.answer) b.img.setFrame("button_pick").setDisplaySize(b.w, b.h);
        else b.img.setAlpha(0.45);
      });
      this.mark.setFrame(mine ? "right" : "wrong").setDisplaySize(56, 56).setVisible(true);
      if (mine) {
        this.correct += 1;
        this.gf.cue("correct");
        this.gf.addScore(this.gf.base, GF.width / 2, this.timerBox.y - 30);
      } else if (winner !== null) {
        this.gf.toast(this.playerName(winner) + " was faster", 600);
      }
      this.index += 1;
      this.out = {};
      this.drawProgress();
      var self = this;
      this.time.delayedCall(FEEDBACK_MS, function () {
        if (!self.gf.playing) return;
        if (self.index >= self.L.questions.length) {
          self.busy = true;
          if (mp.isHost) self.duelOutcome();
          return;
        }
        self.showQuestion();
        self.busy = false;
      });
    }

    duelOutcome() {
      var mp = this.gf.multiplayer;
      var scores = {};
      var best = -1;
      var winner = null;
      var self = this;
      mp.players.forEach(function (p) {
        scores[p.seat] = self.points[p.seat] || 0;
      });
      Object.keys(scores).forEach(function (seat) {
        if (scores[seat] > best) {
          best = scores[seat];
          winner = Number(seat);
        } else if (scores[seat] === best) {
          winner = null;
        }
      });
      mp.send({ kind: "outcome", winner_seat: winner, scores: scores });
    }

    playerName(seat) {
      var name = "Seat " + (seat + 1);
      this.gf.multiplayer.players.forEach(function (p) {
        if (p.seat === seat) name = p.username;
      });
      return name;
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
      this.questionText.setText(q.a + " " + SYMBOL[q.op] + " " + q.b + " = ?");
      this.questionText.setScale(0.6);
      this.tweens.add({ targets: this.questionText, scale: 1, duration: 160 });
      var self = this;
      this.buttons.forEach(function (b, i) {
        b.value = q.choices[i];
        b.label.setText(String(q.choices[i]));
        b.img.setFrame("button");
        b.img.setDisplaySize(b.w, b.h);
        b.img.setAlpha(1);
      });
      this.selected = Math.min(this.selected, this.buttons.length - 1);
      this.highlight();
      this.mark.setVisible(false);
      this.askedAt = this.now;
      this.qLeft = this.L.question_time_s;
      self.drawTimer();
    }

    highlight() {
      var sel = this.selected;
      this.buttons.forEach(function (b, i) {
        b.label.setScale(i === sel ? 1.12 : 1);
        b.img.setAlpha(i === sel ? 1 : 0.85);
      });
    }

    drawProgress() {
      var L = this.L;
      if (this.duel) {
        var mp = this.gf.multiplayer;
        var self = this;
        var theirs = 0;
        Object.keys(this.points).forEach(function (seat) {
          if (Number(seat) !== mp.seat) theirs = Math.max(theirs, self.points[seat]);
        });
        this.progress.setText("You " + (this.points[mp.seat] || 0) + " : " + theirs + "     Question " +
          Math.min(this.index + 1, L.questions.length) + " / " + L.questions.length);
      } else {
      var allowed = L.questions.length - L.target;
      this.progress.setText(
        "Right " + this.correct + " / " + L.target + "     Mistakes left " + Math.max(0, allowed - this.mistakes)
      );
      }
      var g = this.dots;
      g.clear();
      var n = L.questions.length;
      var w = Math.min(26, (this.area.w - 40) / n);
      var x0 = GF.width / 2 - (w * n) / 2 + w / 2;
      for (var i = 0; i < n; i++) {
        var done = i < this.index;
        g.fillStyle(done ? (this.results[i] ? this.palette.primary : this.palette.danger) : this.palette.text, done ? 1 : 0.25);
        g.fillCircle(x0 + i * w, this.area.y + 50, Math.max(4, w / 2 - 4));
      }
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
      if (this.duel) {
        var mp = this.gf.multiplayer;
        if (this.out[mp.seat] || this.sentFor === this.index) return;
        this.selected = i;
        this.sentFor = this.index;
        this.highlight();
        mp.send({ kind: "answer", q: this.index, value: this.buttons[i].value });
        return;
      }
      var q = this.question();
      this.selected = i;
      this.judge(i >= 0 && this.buttons[i].value === q.answer, i);
    }

    judge(right, picked) {
      var q = this.question();
      var level = this.gf.levelIndex + 1;
      var ms = Math.round(this.now - this.askedAt);
      this.busy = true;
      this.results[this.index] = right;
      this.gf.track("question_answered", { level: level, correct: right, op: q.op, ms: ms });
      var self = this;
      this.buttons.forEach(function (b) {
        if (b.value === q.answer) b.img.setFrame("button_pick").setDisplaySize(b.w, b.h);
        else b.img.setAlpha(0.45);
      });
      this.mark.setFrame(right ? "right" : "wrong").setDisplaySize(56, 56).setVisible(true);
      if (right) {
        this.correct += 1;
        this.streak += 1;
        var speed = this.L.question_time_s ? Math.max(0, Math.round((this.qLeft / this.L.question_time_s) * 5)) : 0;
        var streak = this.params.streak_bonus ? Math.min(5, this.streak - 1) : 0;
        var b = this.buttons[picked];
        this.gf.addScore(this.gf.base * (1 + streak) + speed * 2, b.x, b.y - 30);
        if (this.streak >= 3 && this.streak % 3 === 0) {
          this.gf.cue("streak");
          this.gf.toast(this.streak + " in a row!", 600);
          this.gf.track("streak", { level: level, length: this.streak });
        } else {
          this.gf.cue("correct");
        }
      } else {
        this.mistakes += 1;
        this.streak = 0;
        this.gf.cue(picked < 0 ? "timeout" : "wrong");
        this.cameras.main.shake(160, 0.006);
        if (picked >= 0) this.tweens.add({ targets: this.buttons[picked].img, alpha: 0.2, yoyo: true, repeat: 1, duration: 110 });
      }
      this.index += 1;
      this.drawProgress();
      this.time.delayedCall(FEEDBACK_MS, function () {
        self.next();
      });
    }

    next() {
      if (!this.gf.playing) return;
      var level = this.gf.levelIndex + 1;
      if (this.correct >= this.L.target) {
        this.gf.completeLevel();
        return;
      }
      if (this.mistakes > this.L.questions.length - this.L.target) {
        this.gf.track("too_many_mistakes", { level: level, correct: this.correct });
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
        if (Math.abs(x - b.x) <= b.w / 2 && Math.abs(y - b.y) <= b.h / 2) {
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
      if (action === "left" || action === "right") this.selected = (this.selected + (action === "right" ? 1 : n - 1)) % n;
      if (action === "up") this.selected = Math.max(0, this.selected - 2);
      if (action === "down") this.selected = Math.min(n - 1, this.selected + 2);
      this.highlight();
    }

    tick(time, dt) {
      this.now += dt;
      if (this.busy || !this.L.question_time_s) return;
      this.qLeft -= dt / 1000;
      if (this.qLeft <= 0 && this.duel) {
        // The host calls time (once per question); everyone moves on when it is relayed.
        this.qLeft = 0;
        if (this.gf.multiplayer.isHost && this.timedOut !== this.index) {
          this.timedOut = this.index;
          this.gf.multiplayer.send({ kind: "timeout", q: this.index });
        }
      } else if (this.qLeft <= 0) {
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
        question: [q.a, q.op, q.b],
        shown: this.questionText.text,
        choices: this.buttons.map(function (b) {
          return b.value;
        }),
        buttons: this.buttons.map(function (b) {
          return [b.x, b.y, b.w, b.h];
        }),
        correct: this.correct,
        mistakes: this.mistakes,
        target: this.L.target,
        selected: this.selected,
        busy: this.busy,
        duel: this.duel,
        points: Object.assign({}, this.points),
        sent: this.sentFor === this.index,
      };
    }
  }

  GF.registerMechanic("mathquiz", MathQuizScene);
})();
