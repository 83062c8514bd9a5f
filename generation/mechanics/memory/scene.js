/* Memory: flip two cards a turn to find every pair before the turns (or the clock) run out.
 *
 * Multiplayer duel (gf.multiplayer.active): one board, turns kept by the server. A player's tap is
 * only sent ({kind: "flip", i, keep_turn}); every game applies the flips in the order the server
 * relays them. A found pair scores and plays again (keep_turn), a miss passes the turn. When the
 * last pair is found the host reports the outcome: most pairs wins.
 */
(function () {
  "use strict";

  var FLIP_MS = 140; // each half of a flip
  var MISS_MS = 750; // how long a miss stays visible
  var BAND = 56;
  var DIRS = { up: [-1, 0], down: [1, 0], left: [0, -1], right: [0, 1] };

  class MemoryScene extends GF.MechanicScene {
    buildLevel(level) {
      this.L = level;
      this.R = level.rows;
      this.C = level.cols;
      var a = this.area;
      var gap = 10;
      var cw = Math.floor(Math.min((a.w - gap * (this.C + 1)) / this.C, ((a.h - BAND - gap * (this.R + 1)) / this.R) * 0.8));
      cw = Math.min(cw, 120);
      var ch = Math.round(cw * 1.25);
      var gridW = this.C * cw + (this.C - 1) * gap;
      var gridH = this.R * ch + (this.R - 1) * gap;
      this.g = {
        x0: Math.round(a.x + (a.w - gridW) / 2),
        y0: Math.round(a.y + BAND + (a.h - BAND - gridH) / 2),
        cw: cw,
        ch: ch,
        gap: gap,
      };
      this.boardPanel(this.g.x0, this.g.y0, gridW, gridH);
      this.cards = [];
      for (var i = 0; i < level.cards.length; i++) {
        var p = this.pos(i);
        var back = this.sprite(p.x, p.y, "back", cw, ch);
        var front = this.sprite(p.x, p.y, "front", cw, ch).setVisible(false);
        var face = this.sprite(p.x, p.y, "face" + level.cards[i], cw * 0.7, cw * 0.7).setVisible(false);
        this.cards.push({ face: level.cards[i], state: "down", back: back, front: front, img: face });
      }
      this.open = []; // indexes face up this turn
      this.turns = 0;
      this.found = 0;
      this.combo = 0;
      this.busy = false;
      this.cursor = 0;
      this.keyboardUsed = false;
      this.cursorImg = this.sprite(0, 0, "cursor", cw + 12, ch + 12).setVisible(false).setAlpha(0.9);
      this.status = this.text(GF.width / 2, a.y + BAND / 2, "", 24);
      this.duel = this.gf.multiplayer.active;
      this.pairs = {};
      this.sentFlips = 0;
      this.bindDuel();
      this.updateStatus();
    }

    bindDuel() {
      if (this.duelBound) return;
      this.duelBound = true;
      var self = this;
      this.gf.multiplayer.on("flip", function (data, from) {
        if (!self.duel || typeof data.i !== "number") return;
        self.flip(data.i, from);
      });
      this.gf.multiplayer.on("state", function () {
        self.pendingFlip = null;
        if (self.duel && self.status) self.updateStatus();
      });
    }

    /** Whose turn it is, as a line: "Your turn" or the other player's name. */
    turnLine() {
      var mp = this.gf.multiplayer;
      if (mp.turnSeat === null) return "";
      if (mp.turnSeat === mp.seat) return "Your turn";
      var name = "Seat " + (mp.turnSeat + 1);
      mp.players.forEach(function (p) {
        if (p.seat === mp.turnSeat) name = p.username;
      });
      return name + "'s turn";
    }

    /** A tap in the duel: sent when it is this player's turn, applied when the server relays it. */
    sendFlip(i) {
      var mp = this.gf.multiplayer;
      if (this.busy || !mp.myTurn || i < 0 || i >= this.cards.length || this.cards[i].state !== "down") return;
      if (this.open.indexOf(i) >= 0 || this.pendingFlip === i) return;
      // The first card keeps the turn; the second keeps it only when it makes a pair.
      var keep = this.open.length === 0 || this.cards[this.open[0]].face === this.cards[i].face;
      this.pendingFlip = i;
      this.sentFlips += 1;
      mp.send({ kind: "flip", i: i, keep_turn: keep });
    }

    onLevelStart() {
      var peek = this.params.peek && !this.duel ? this.L.peek_ms : 0;
      if (!peek) return;
      var self = this;
      this.busy = true;
      this.cards.forEach(function (card, i) {
        self.show(i, true);
      });
      this.gf.toast("Remember them!", Math.min(peek, 900));
      this.time.delayedCall(peek, function () {
        self.cards.forEach(function (card, i) {
          if (card.state === "down") self.show(i, false);
        });
        self.time.delayedCall(FLIP_MS * 2, function () {
          self.busy = false;
        });
      });
    }

    pos(i) {
      var r = Math.floor(i / this.C);
      var c = i % this.C;
      var g = this.g;
      return { x: g.x0 + c * (g.cw + g.gap) + g.cw / 2, y: g.y0 + r * (g.ch + g.gap) + g.ch / 2 };
    }

    indexAt(x, y) {
      var g = this.g;
      var c = Math.floor((x - g.x0) / (g.cw + g.gap));
      var r = Math.floor((y - g.y0) / (g.ch + g.gap));
      if (r < 0 || c < 0 || r >= this.R || c >= this.C) return -1;
      var lx = x - g.x0 - c * (g.cw + g.gap);
      var ly = y - g.y0 - r * (g.ch + g.gap);
      if (lx > g.cw || ly > g.ch) return -1; // in the gap
      return r * this.C + c;
    }

    updateStatus() {
      if (this.duel) {
        var mp = this.gf.multiplayer;
        var self = this;
        var mine = this.pairs[mp.seat] || 0;
        var theirs = 0;
        Object.keys(this.pairs).forEach(function (seat) {
          if (Number(seat) !== mp.seat) theirs = Math.max(theirs, self.pairs[seat]);
        });
        this.status.setText(this.turnLine() + "     You " + mine + " : " + theirs);
        this.status.setColor(mp.myTurn ? this.palette.css.accent : this.palette.css.text);
        return;
      }
      var parts = ["Pairs " + this.found + " / " + this.cards.length / 2];
      if (this.L.move_limit) parts.push("Turns left " + (this.L.move_limit - this.turns));
      else parts.push("Turns " + this.turns);
      this.status.setText(parts.join("     "));
      var low = this.L.move_limit && this.L.move_limit - this.turns <= 2;
      this.status.setColor(low ? this.palette.css.danger : this.palette.css.text);
    }

    /** Turn card `i` face up (true) or down, with a flip animation. */
    show(i, up) {
      var card = this.cards[i];
      var cw = this.g.cw;
      var self = this;
      var hide = up ? [card.back] : [card.front, card.img];
      var reveal = up ? [card.front, card.img] : [card.back];
      this.tweens.add({
        targets: hide,
        scaleX: 0,
        duration: FLIP_MS,
        onComplete: function () {
          hide.forEach(function (img) {
            img.setVisible(false);
          });
          reveal.forEach(function (img) {
            img.setVisible(true);
            var full = img === card.img ? (cw * 0.7) / img.width : cw / img.width;
            img.scaleX = 0;
            self.tweens.add({ targets: img, scaleX: full, duration: FLIP_MS });
          });
        },
      });
    }

    flip(i, from) {
      // In the duel the relayed flips are the truth: they apply even mid-animation.
      if ((this.busy && !this.duel) || i < 0 || i >= this.cards.length) return;
      var card = this.cards[i];
      if (card.state !== "down") return;
      if (this.pendingFlip === i) this.pendingFlip = null;
      card.state = "up";
      card.showing = true;
      this.open.push(i);
      this.gf.cue("flip");
      this.show(i, true);
      if (this.open.length === 2) this.judge(from);
    }

    /** A duel's pair: `from` scores (the local score only for this player); the last pair ends it. */
    judgeDuel(from) {
      var a = this.cards[this.open[0]];
      var b = this.cards[this.open[1]];
      var pair = this.open.slice();
      this.open = [];
      this.turns += 1;
      var self = this;
      var mp = this.gf.multiplayer;
      if (a.face === b.face) {
        a.state = b.state = "matched";
        this.found += 1;
        this.pairs[from] = (this.pairs[from] || 0) + 1;
        var p = this.pos(pair[1]);
        if (from === mp.seat) this.gf.addScore(this.gf.base * 2, p.x, p.y);
        this.gf.cue("pair");
        this.gf.track("pair_found", { level: 1, combo: 1, left: this.cards.length / 2 - this.found });
        [a, b].forEach(function (card) {
          self.tweens.add({ targets: [card.front, card.img], alpha: 0.55, duration: 200, delay: FLIP_MS * 2 });
        });
        if (this.found * 2 === this.cards.length && mp.isHost) {
          var scores = {};
          var best = -1;
          var winner = null;
          mp.players.forEach(function (pl) {
            scores[pl.seat] = self.pairs[pl.seat] || 0;
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
      } else {
        // Down at once for the rules (the next player may pick them), back face down on screen later.
        a.state = b.state = "down";
        this.busy = true;
        this.gf.cue("miss");
        this.time.delayedCall(FLIP_MS * 2 + MISS_MS, function () {
          pair.forEach(function (i) {
            if (self.cards[i].state !== "down") return;
            self.cards[i].showing = false;
            self.show(i, false);
          });
          self.time.delayedCall(FLIP_MS * 2, function () {
            self.busy = false;
          });
        });
      }
      this.updateStatus();
    }

    judge(from) {
      if (this.duel) return this.judgeDuel(from);
      var a = this.cards[this.open[0]];
      var b = this.cards[this.open[1]];
      var pair = this.open.slice();
      this.open = [];
      this.turns += 1;
      var self = this;
      var level = this.gf.levelIndex + 1;
      if (a.face === b.face) {
        a.state = b.state = "matched";
        this.found += 1;
        this.combo += 1;
        var bonus = this.params.combo_bonus ? this.combo : 1;
        var p = this.pos(pair[1]);
        this.gf.addScore(this.gf.base * 2 * bonus, p.x, p.y);
        this.gf.cue(this.combo > 1 ? "combo" : "pair");
        if (this.combo > 1) this.gf.toast("Combo x" + this.combo, 500);
        this.gf.track("pair_found", { level: level, combo: this.combo, left: this.cards.length / 2 - this.found });
        this.time.delayedCall(FLIP_MS * 2, function () {
          [a, b].forEach(function (card) {
            self.tweens.add({ targets: [card.front, card.img], alpha: 0.55, duration: 200 });
          });
        });
        this.updateStatus();
        if (this.found * 2 === this.cards.length) {
          var left = this.L.move_limit ? this.L.move_limit - this.turns : 0;
          if (left > 0) this.gf.addScore(left * this.gf.base, GF.width / 2, this.area.y + 80);
          this.time.delayedCall(FLIP_MS * 2 + 50, function () {
            self.gf.completeLevel();
          });
          this.busy = true;
          return;
        }
      } else {
        this.combo = 0;
        this.busy = true;
        this.gf.cue("miss");
        var turnsLeft = this.L.move_limit ? this.L.move_limit - this.turns : -1;
        this.gf.track("pair_missed", { level: level, turns_left: turnsLeft });
        this.time.delayedCall(FLIP_MS * 2 + MISS_MS, function () {
          a.state = b.state = "down";
          a.showing = b.showing = false;
          self.show(pair[0], false);
          self.show(pair[1], false);
          self.time.delayedCall(FLIP_MS * 2, function () {
            self.busy = false;
          });
        });
        this.updateStatus();
      }
      if (this.L.move_limit && this.turns >= this.L.move_limit && this.found * 2 < this.cards.length) {
        this.busy = true;
        this.gf.track("out_of_moves", { level: level, left: this.cards.length / 2 - this.found });
        this.time.delayedCall(FLIP_MS * 2 + 300, function () {
          self.gf.failLevel("Out of turns!");
        });
      }
    }

    onPointer(type, x, y) {
      if (type !== "down") return;
      var i = this.indexAt(x, y);
      if (i >= 0) {
        this.cursor = i;
        if (this.duel) this.sendFlip(i);
        else this.flip(i);
      }
    }

    onSwipe() {
      /* cards are tapped, not swiped */
    }

    onAction(action) {
      if (action === "primary") {
        if (this.duel) this.sendFlip(this.cursor);
        else this.flip(this.cursor);
      } else if (DIRS[action]) {
        var r = Math.floor(this.cursor / this.C) + DIRS[action][0];
        var c = (this.cursor % this.C) + DIRS[action][1];
        r = Math.max(0, Math.min(this.R - 1, r));
        c = Math.max(0, Math.min(this.C - 1, c));
        this.cursor = r * this.C + c;
      }
      this.keyboardUsed = true;
      var p = this.pos(this.cursor);
      this.cursorImg.setPosition(p.x, p.y).setVisible(true);
    }

    observe() {
      return {
        rows: this.R,
        cols: this.C,
        // A face is only visible (and only reported) while its card is up.
        cards: this.cards.map(function (card) {
          return { state: card.state, face: card.state === "down" && !card.showing ? -1 : card.face };
        }),
        turns: this.turns,
        move_limit: this.L.move_limit,
        found: this.found,
        busy: this.busy,
        open: this.open.slice(),
        cursor: this.cursor,
        duel: this.duel,
        pairs: Object.assign({}, this.pairs),
        pending: this.pendingFlip === undefined ? null : this.pendingFlip,
        grid: [this.g.x0, this.g.y0, this.g.cw, this.g.ch, this.g.gap],
      };
    }
  }

  GF.registerMechanic("memory", MemoryScene);
})();
