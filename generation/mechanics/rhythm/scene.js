/* Rhythm: notes fall down four lanes to the beat; press the lane as its note crosses the line. */
(function () {
  "use strict";

  var LANES = 4;
  var LANE_OF = { left: 0, down: 1, up: 2, right: 3 };
  var NOTE = 52;
  var PAD = 76;

  class RhythmScene extends GF.MechanicScene {
    buildLevel(level) {
      var a = this.area;
      this.L = level;
      this.laneW = a.w / LANES;
      this.hitY = a.y + a.h - 110;
      this.top = a.y;
      this.tickS = 30 / level.bpm;
      this.window = this.params.window_ms / 1000;
      this.scroll = this.params.scroll;
      var g = this.add.graphics();
      for (var lane = 0; lane < LANES; lane++) {
        g.fillStyle(lane % 2 ? this.palette.surface : this.palette.background, 0.55);
        g.fillRect(a.x + lane * this.laneW, a.y, this.laneW, a.h);
      }
      g.lineStyle(4, this.palette.accent, 0.8);
      g.lineBetween(a.x, this.hitY, a.x + a.w, this.hitY);
      this.layer.add(g);
      this.pads = [];
      for (var p = 0; p < LANES; p++) {
        this.pads.push(this.sprite(this.laneX(p), this.hitY, "pad", PAD, PAD).setAlpha(0.7));
        this.text(this.laneX(p), this.hitY + 62, ["\u2190", "\u2193", "\u2191", "\u2192"][p], 26).setAlpha(0.6);
      }
      this.notes = [];
      for (var i = 0; i < level.notes.length; i++) {
        var n = level.notes[i];
        var img = this.sprite(this.laneX(n[1]), -100, "note", NOTE, NOTE).setVisible(false);
        this.notes.push({ t: level.lead_in_s + n[0] * this.tickS, lane: n[1], state: 0, img: img });
      }
      this.need = Math.ceil(level.pass_ratio * this.notes.length);
      this.clock = 0;
      this.beat = 0;
      this.hits = 0;
      this.misses = 0;
      this.combo = 0;
      this.presses = 0;
      this.ended = false;
      this.info = this.text(GF.width / 2, a.y + 26, "", 22);
      this.comboText = this.text(GF.width / 2, this.hitY - 160, "", 34).setAlpha(0.85);
      this.showInfo();
    }

    laneX(lane) {
      return this.area.x + (lane + 0.5) * this.laneW;
    }

    showInfo() {
      this.info.setText("Hits " + this.hits + " / " + this.need + " needed of " + this.notes.length);
      this.comboText.setText(this.combo >= 4 ? this.combo + " combo" : "");
    }

    tick(time, dt) {
      this.clock += dt / 1000;
      // the beat: a click and a pulse of the pads on every quarter note
      var nextBeat = this.L.lead_in_s + this.beat * 2 * this.tickS;
      if (this.clock >= nextBeat) {
        this.beat += 1;
        if (this.params.metronome) this.gf.cue("beat");
        for (var p = 0; p < this.pads.length; p++) {
          var pad = this.pads[p];
          pad.setDisplaySize(PAD * 1.12, PAD * 1.12);
          this.tweens.add({ targets: pad, displayWidth: PAD, displayHeight: PAD, duration: 140 });
        }
      }
      for (var i = 0; i < this.notes.length; i++) {
        var n = this.notes[i];
        if (n.state !== 0) continue;
        if (this.clock - n.t > this.window) {
          this.miss(n);
          continue;
        }
        var y = this.hitY - (n.t - this.clock) * this.scroll;
        n.img.setVisible(y > this.top - NOTE / 2);
        n.img.y = y;
      }
      if (!this.ended && this.clock >= this.L.lead_in_s + this.L.notes[this.L.notes.length - 1][0] * this.tickS + 1.5) this.end();
    }

    miss(n) {
      n.state = 2;
      this.misses += 1;
      this.combo = 0;
      n.img.setVisible(false);
      this.gf.cue("miss");
      this.gf.track("note_missed", { level: this.gf.levelIndex + 1, lane: n.lane, misses: this.misses });
      this.showInfo();
    }

    press(lane) {
      if (!this.gf.playing || lane < 0 || lane >= LANES) return;
      this.presses += 1;
      var pad = this.pads[lane];
      pad.setAlpha(1);
      this.tweens.add({ targets: pad, alpha: 0.7, duration: 160 });
      var best = null;
      for (var i = 0; i < this.notes.length; i++) {
        var n = this.notes[i];
        if (n.state !== 0 || n.lane !== lane) continue;
        var off = Math.abs(n.t - this.clock);
        if (off <= this.window && (best === null || off < Math.abs(best.t - this.clock))) best = n;
      }
      if (best === null) return;
      var perfect = Math.abs(best.t - this.clock) <= this.window / 2;
      best.state = 1;
      this.hits += 1;
      this.combo += 1;
      var img = best.img;
      img.y = this.hitY;
      this.tweens.add({ targets: img, alpha: 0, displayWidth: NOTE * 1.6, displayHeight: NOTE * 1.6, duration: 180, onComplete: function () { img.setVisible(false); } });
      this.gf.cue("hit");
      this.gf.addScore(this.gf.base * (perfect ? 2 : 1) + Math.floor(this.combo / 10), this.laneX(lane), this.hitY - 40);
      this.gf.track("note_hit", { level: this.gf.levelIndex + 1, lane: lane, quality: perfect ? "perfect" : "good", combo: this.combo });
      this.showInfo();
    }

    end() {
      this.ended = true;
      if (this.hits >= this.need) this.gf.completeLevel();
      else this.gf.failLevel("Only " + this.hits + " of " + this.need + " notes hit");
    }

    onAction(action) {
      if (action in LANE_OF) this.press(LANE_OF[action]);
    }

    onSwipe() {
      // a swipe is a tap that moved: the lane is chosen where the finger went down
    }

    onPointer(type, x) {
      if (type === "down") this.press(Math.floor((x - this.area.x) / this.laneW));
    }

    observe() {
      var upcoming = [];
      for (var i = 0; i < this.notes.length && upcoming.length < 12; i++) {
        var n = this.notes[i];
        if (n.state === 0) upcoming.push([n.t, n.lane]);
      }
      return {
        playing: this.gf.playing && !this.ended,
        clock: this.clock,
        window: this.window,
        presses: this.presses,
        hits: this.hits,
        misses: this.misses,
        need: this.need,
        total: this.notes.length,
        upcoming: upcoming,
      };
    }
  }

  GF.registerMechanic("rhythm", RhythmScene);
})();
