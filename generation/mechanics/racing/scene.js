/* Racing: switch lanes to get past the traffic, pick up coins, reach the finish line. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): the validator searches the same road.
  var CAR_H = 64;
  var TRAFFIC_H = 64;
  var START_GAP = 420;
  var FINISH_GAP = 200;
  var CAR_W = 44;
  var HIT_MS = 1200;
  var DASH = 60;

  class RacingScene extends GF.MechanicScene {
    buildLevel(level, index) {
      var a = this.area;
      this.L = level;
      this.roadW = Math.min(a.w - 40, level.lanes * 110);
      this.laneW = this.roadW / level.lanes;
      this.roadX = a.x + (a.w - this.roadW) / 2;
      this.carY = a.y + a.h - 90;
      var g = this.add.graphics();
      g.fillStyle(this.palette.surface, 0.85);
      g.fillRect(this.roadX - 8, a.y, this.roadW + 16, a.h);
      g.fillStyle(this.palette.text, 0.5);
      g.fillRect(this.roadX - 8, a.y, 4, a.h);
      g.fillRect(this.roadX + this.roadW + 4, a.y, 4, a.h);
      this.layer.add(g);
      this.dashes = this.add.graphics();
      this.layer.add(this.dashes);
      this.d = 0;
      this.finish = START_GAP + (level.rows.length - 1) * level.gap + FINISH_GAP;
      this.nextRow = 0;
      this.items = [];
      this.passed = 0;
      this.coins = 0;
      this.lane = Math.floor(level.lanes / 2);
      this.carX = this.laneX(this.lane);
      this.car = this.sprite(this.carX, this.carY, "car", CAR_W, CAR_H);
      this.flagL = this.sprite(this.roadX - 4, 0, "flag", 40, 40);
      this.flagR = this.sprite(this.roadX + this.roadW + 4, 0, "flag", 40, 40);
      this.finishLine = this.add.graphics();
      this.layer.add(this.finishLine);
      this.clock = 0;
      this.hitUntil = 0;
      this.info = this.text(GF.width / 2, a.y + 26, "", 22);
      this.drawRoad();
    }

    laneX(lane) {
      return this.roadX + (lane + 0.5) * this.laneW;
    }

    rowDist(i) {
      return START_GAP + i * this.L.gap;
    }

    screenY(dist) {
      return this.carY - (dist - this.d);
    }

    drawRoad() {
      var a = this.area;
      this.dashes.clear();
      this.dashes.fillStyle(this.palette.text, 0.35);
      var offset = this.d % DASH;
      for (var lane = 1; lane < this.L.lanes; lane++) {
        var x = this.roadX + lane * this.laneW - 2;
        for (var y = a.y - DASH + offset; y < a.y + a.h; y += DASH) {
          this.dashes.fillRect(x, Math.max(a.y, y), 4, Math.max(0, Math.min(DASH / 2, y + DASH / 2 - Math.max(a.y, y))));
        }
      }
      var fy = this.screenY(this.finish);
      var show = fy > a.y && fy < a.y + a.h;
      this.finishLine.clear();
      if (show) {
        for (var k = 0; k < 12; k++) {
          this.finishLine.fillStyle(k % 2 ? this.palette.text : this.palette.background, 0.9);
          this.finishLine.fillRect(this.roadX + (k * this.roadW) / 12, fy - 6, this.roadW / 12, 12);
        }
      }
      this.flagL.setVisible(show).setY(fy - 20);
      this.flagR.setVisible(show).setY(fy - 20);
      this.info.setText(Math.max(0, Math.ceil((this.finish - this.d) / 10)) + " m to go");
    }

    onAction(action) {
      if (action === "left" && this.lane > 0) this.lane -= 1;
      else if (action === "right" && this.lane < this.L.lanes - 1) this.lane += 1;
      else return;
      this.gf.cue("lane");
    }

    onPointer(type, x) {
      if (type !== "down" || GF.spec.controls.touch_layout === "buttons") return;
      this.onAction(x < this.carX ? "left" : "right");
    }

    /** Sprites for the rows that come into sight. */
    spawnRows() {
      while (this.nextRow < this.L.rows.length && this.screenY(this.rowDist(this.nextRow)) > this.area.y - TRAFFIC_H) {
        var i = this.nextRow++;
        var row = this.L.rows[i];
        for (var lane = 0; lane < row.length; lane++) {
          if (row[lane] === ".") continue;
          var car = row[lane] === "x";
          var img = car ? this.sprite(this.laneX(lane), 0, "traffic", CAR_W, TRAFFIC_H) : this.sprite(this.laneX(lane), 0, "coin", 30, 30);
          if (car) img.setFlipY(true);
          this.items.push({ row: i, lane: lane, car: car, img: img, done: false });
        }
        this.layer.bringToTop(this.car);
        this.layer.bringToTop(this.info);
      }
    }

    tick(time, dt) {
      this.clock += dt;
      var s = dt / 1000;
      var was = this.d;
      this.d += this.L.speed * s;
      var step = (this.laneW / this.params.lane_ms) * dt;
      var tx = this.laneX(this.lane);
      this.carX += Math.max(-step, Math.min(step, tx - this.carX));
      this.car.x = this.carX;
      this.car.angle = (tx - this.carX) / 6;
      var hittable = this.clock >= this.hitUntil;
      this.car.setAlpha(hittable ? 1 : Math.floor(this.clock / 110) % 2 ? 0.3 : 1);
      this.spawnRows();
      var reach = (CAR_H + TRAFFIC_H) / 2;
      var keep = [];
      for (var i = 0; i < this.items.length; i++) {
        var it = this.items[i];
        var dist = this.rowDist(it.row);
        var y = this.screenY(dist);
        it.img.y = y;
        it.img.setVisible(y - TRAFFIC_H / 2 >= this.area.y - 4); // nothing over the HUD
        if (!it.done && Math.abs(dist - this.d) < reach && Math.abs(this.carX - this.laneX(it.lane)) < CAR_W) {
          it.done = true;
          if (it.car && hittable) {
            if (!this.crash(it)) return;
            hittable = false;
            continue;
          }
          if (!it.car) {
            this.pickCoin(it);
            continue;
          }
        }
        if (y - TRAFFIC_H > this.area.y + this.area.h) {
          it.img.destroy();
          continue;
        }
        keep.push(it);
      }
      this.items = keep;
      // Rows passed in this frame: their whole window is behind the car.
      while (this.passed < this.L.rows.length && this.rowDist(this.passed) + reach <= this.d) {
        this.passed += 1;
        this.gf.addScore(1);
        this.gf.track("row_passed", { level: this.gf.levelIndex + 1, row: this.passed });
      }
      this.drawRoad();
      if (was < this.finish && this.d >= this.finish) this.gf.completeLevel();
    }

    pickCoin(it) {
      var img = it.img;
      this.tweens.add({ targets: img, scaleX: img.scaleX * 1.8, scaleY: img.scaleY * 1.8, alpha: 0, duration: 200, onComplete: function () { img.destroy(); } });
      this.coins += 1;
      this.gf.cue("coin");
      this.gf.addScore(this.gf.base, img.x, img.y);
      this.gf.track("coin_collected", { level: this.gf.levelIndex + 1, coins: this.coins });
    }

    /** The car hit the traffic: a life less, the other car spins off, a moment of safety. False when the game is over. */
    crash(it) {
      var img = it.img;
      this.tweens.add({ targets: img, angle: 200, alpha: 0, duration: 400, onComplete: function () { img.destroy(); } });
      this.gf.cue("crash");
      this.gf.track("car_crashed", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
      this.cameras.main.shake(200, 0.012);
      this.hitUntil = this.clock + HIT_MS;
      return this.gf.loseLife("You crashed");
    }

    observe() {
      var self = this;
      var ahead = [];
      for (var i = this.passed; i < Math.min(this.L.rows.length, this.passed + 8); i++) {
        ahead.push([i, this.rowDist(i) - this.d, this.L.rows[i]]);
      }
      return {
        playing: this.gf.playing,
        level: this.gf.levelIndex + 1,
        lane: this.lane,
        lanes: this.L.lanes,
        x: (this.carX - this.roadX) / this.laneW - 0.5,
        d: this.d,
        speed: this.L.speed,
        lane_ms: this.params.lane_ms,
        window: (CAR_H + TRAFFIC_H) / 2,
        ahead: ahead,
        passed: this.passed,
        safe: this.clock < this.hitUntil,
        finish: this.finish - this.d,
        car: [self.carX, self.carY],
      };
    }
  }

  GF.registerMechanic("racing", RacingScene);
})();
