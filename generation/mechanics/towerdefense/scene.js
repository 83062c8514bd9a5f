/* Tower defense: build towers beside the path; hold every wave. */
(function () {
  "use strict";

  // Shared with the definition beside it (__init__.py): its validator plays the same rules.
  var COLS = 9;
  var ROWS = 12;
  var CELL = 54;

  class TowerDefenseScene extends GF.MechanicScene {
    buildLevel(level) {
      var a = this.area;
      this.L = level;
      this.gx = a.x + Math.floor((a.w - COLS * CELL) / 2);
      this.gy = a.y + 56;
      this.boardPanel(this.gx, this.gy, COLS * CELL, ROWS * CELL);
      this.onPath = {};
      for (var i = 0; i < level.path.length; i++) this.onPath[level.path[i][0] + "," + level.path[i][1]] = true;
      for (var r = 0; r < ROWS; r++) {
        for (var c = 0; c < COLS; c++) {
          var path = this.onPath[c + "," + r];
          this.sprite(this.cx(c), this.cy(r), path ? "path" : "ground", CELL - 2, CELL - 2).setAlpha(path ? 0.9 : 0.35);
        }
      }
      // the road itself, so the way the enemies come reads at a glance
      var road = this.add.graphics();
      road.lineStyle(CELL * 0.5, this.palette.accent, 0.4);
      road.beginPath();
      road.moveTo(this.cx(level.path[0][0]), this.gy);
      for (var p = 0; p < level.path.length; p++) road.lineTo(this.cx(level.path[p][0]), this.cy(level.path[p][1]));
      road.strokePath();
      this.layer.add(road);
      var last = level.path[level.path.length - 1];
      this.sprite(this.cx(last[0]), this.cy(last[1]), "base", CELL - 6, CELL - 6);
      // the waves' timetable, as towerdefense.py's spawn_times
      this.timetable = [];
      var t = level.prep_s;
      for (var w = 0; w < level.waves.length; w++) {
        var wave = level.waves[w];
        for (var k = 0; k < wave[0]; k++) this.timetable.push([t + (k * wave[3]) / 1000, wave[1], wave[2], w]);
        t += ((wave[0] - 1) * wave[3]) / 1000 + level.wave_gap_s;
      }
      this.clock = 0;
      this.spawned = 0;
      this.enemies = [];
      this.towers = [];
      this.gold = level.gold;
      this.stopped = 0;
      this.info = this.text(GF.width / 2, a.y + 24, "", 22);
      this.showInfo();
    }

    cx(c) {
      return this.gx + (c + 0.5) * CELL;
    }

    cy(r) {
      return this.gy + (r + 0.5) * CELL;
    }

    showInfo() {
      var wave = this.spawned < this.timetable.length ? this.timetable[this.spawned][3] + 1 : this.L.waves.length;
      this.info.setText("Gold " + this.gold + "   Tower " + this.params.tower_cost + "   Wave " + wave + "/" + this.L.waves.length);
    }

    /** (col, row) of an enemy `progress` cells along the path, as towerdefense.py's `position`. */
    position(progress) {
      var path = this.L.path;
      var i = Math.min(Math.floor(progress), path.length - 2);
      var f = progress - i;
      return [path[i][0] + (path[i + 1][0] - path[i][0]) * f, path[i][1] + (path[i + 1][1] - path[i][1]) * f];
    }

    onPointer(type, x, y) {
      if (type !== "down") return;
      var c = Math.floor((x - this.gx) / CELL);
      var r = Math.floor((y - this.gy) / CELL);
      if (c < 0 || c >= COLS || r < 0 || r >= ROWS || this.onPath[c + "," + r]) return;
      for (var i = 0; i < this.towers.length; i++) if (this.towers[i].c === c && this.towers[i].r === r) return;
      if (this.gold < this.params.tower_cost) {
        this.info.setText("A tower costs " + this.params.tower_cost + " gold: you have " + this.gold);
        return;
      }
      this.gold -= this.params.tower_cost;
      this.towers.push({ c: c, r: r, cooldown: 0, img: this.sprite(this.cx(c), this.cy(r), "tower", CELL - 8, CELL - 8) });
      this.gf.cue("build");
      this.gf.track("tower_built", { level: this.gf.levelIndex + 1, towers: this.towers.length, gold: this.gold });
      this.showInfo();
    }

    tick(time, dt) {
      var s = dt / 1000;
      var L = this.L;
      var end = L.path.length - 1;
      this.clock += s;
      while (this.spawned < this.timetable.length && this.timetable[this.spawned][0] <= this.clock) {
        var e = this.timetable[this.spawned++];
        this.enemies.push({ hp: e[1], max: e[1], speed: e[2], progress: 0, img: this.sprite(this.cx(L.path[0][0]), this.cy(L.path[0][1]), "enemy", CELL - 14, CELL - 14) });
        this.showInfo();
      }
      for (var i = 0; i < this.enemies.length; i++) this.enemies[i].progress += this.enemies[i].speed * s;
      for (var j = this.enemies.length - 1; j >= 0; j--) {
        var en = this.enemies[j];
        if (en.progress < end) continue;
        this.enemies.splice(j, 1);
        en.img.destroy();
        this.gf.cue("leak");
        this.gf.track("enemy_leaked", { level: this.gf.levelIndex + 1, lives: this.gf.lives - 1 });
        if (!this.gf.loseLife("An enemy got through")) return;
      }
      var reach2 = this.params.tower_range * this.params.tower_range;
      for (var t = 0; t < this.towers.length; t++) {
        var tower = this.towers[t];
        tower.cooldown = Math.max(0, tower.cooldown - s);
        if (tower.cooldown > 0) continue;
        var target = null;
        for (var k = 0; k < this.enemies.length; k++) {
          var p = this.position(this.enemies[k].progress);
          var d2 = (p[0] - tower.c) * (p[0] - tower.c) + (p[1] - tower.r) * (p[1] - tower.r);
          if (d2 <= reach2 && (target === null || this.enemies[k].progress > target.progress)) target = this.enemies[k];
        }
        if (target === null) continue;
        target.hp -= this.params.tower_damage;
        tower.cooldown = this.params.tower_interval_ms / 1000;
        this.shoot(tower, target);
        if (target.hp <= 0) {
          this.enemies.splice(this.enemies.indexOf(target), 1);
          this.stop(target);
        }
      }
      for (var m = 0; m < this.enemies.length; m++) {
        var q = this.position(this.enemies[m].progress);
        this.enemies[m].img.setPosition(this.cx(q[0]), this.cy(q[1])).setAlpha(0.45 + (0.55 * this.enemies[m].hp) / this.enemies[m].max);
      }
      if (this.spawned >= this.timetable.length && this.enemies.length === 0) this.gf.completeLevel();
    }

    shoot(tower, target) {
      var q = this.position(target.progress);
      var shot = this.sprite(this.cx(tower.c), this.cy(tower.r), "shot", 14, 14);
      this.tweens.add({ targets: shot, x: this.cx(q[0]), y: this.cy(q[1]), duration: 120, onComplete: function () { shot.destroy(); } });
    }

    stop(enemy) {
      var img = enemy.img;
      this.tweens.add({ targets: img, alpha: 0, angle: 90, duration: 200, onComplete: function () { img.destroy(); } });
      this.stopped += 1;
      this.gold += this.params.bounty;
      this.gf.cue("stop");
      this.gf.addScore(this.gf.base, img.x, img.y);
      this.gf.track("enemy_stopped", { level: this.gf.levelIndex + 1, stopped: this.stopped });
      this.showInfo();
    }

    observe() {
      return {
        playing: this.gf.playing,
        origin: [this.gx, this.gy],
        cell: CELL,
        gold: this.gold,
        cost: this.params.tower_cost,
        reach: this.params.tower_range,
        path: this.L.path,
        towers: this.towers.map(function (t) { return [t.c, t.r]; }),
        enemies: this.enemies.length,
        spawned: this.spawned,
        total: this.timetable.length,
        stopped: this.stopped,
      };
    }
  }

  GF.registerMechanic("towerdefense", TowerDefenseScene);
})();
