// Tower defense for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): its validator plays the same rules.
const int _cols = 9;
const int _rows = 12;
const double _cell = 54;

class _Enemy {
  _Enemy(this.hp, this.speed, this.sprite) : max = hp;
  int hp;
  final int max;
  final double speed;
  final SpriteComponent sprite;
  double progress = 0;
}

class _Tower {
  _Tower(this.c, this.r);
  final int c;
  final int r;
  double cooldown = 0;
}

class TowerdefenseMechanic extends MechanicComponent {
  TowerdefenseMechanic({required super.level, required super.params, required super.area});

  late final double gx = area.left + ((area.width - _cols * _cell) / 2).floorToDouble();
  late final double gy = area.top + 56;
  late final List<List<int>> path =
      (level['path'] as List).map((c) => (c as List).map((v) => v as int).toList()).toList();
  late final Set<String> onPath = {for (final p in path) '${p[0]},${p[1]}'};
  late final int cost = params['tower_cost'] as int;
  late final double reach = (params['tower_range'] as num).toDouble();
  final List<List<double>> timetable = [];
  final List<_Enemy> enemies = [];
  final List<_Tower> towers = [];
  late int gold = level['gold'] as int;
  late TextComponent info;
  double clock = 0;
  int spawned = 0;
  int stopped = 0;

  Vector2 at(double c, double r) => Vector2(gx + (c + 0.5) * _cell, gy + (r + 0.5) * _cell);

  @override
  Future<void> onLoad() async {
    for (var r = 0; r < _rows; r++) {
      for (var c = 0; c < _cols; c++) {
        final onIt = onPath.contains('$c,$r');
        add(SpriteComponent(
            sprite: frame(onIt ? 'path' : 'ground'),
            position: at(c.toDouble(), r.toDouble()),
            size: Vector2.all(_cell - 2),
            anchor: Anchor.center)
          ..opacity = onIt ? 0.9 : 0.35);
      }
    }
    // the road itself, so the way the enemies come reads at a glance
    for (final p in path) {
      add(RectangleComponent(
          position: at(p[0].toDouble(), p[1].toDouble()),
          size: Vector2.all(_cell * 0.6),
          anchor: Anchor.center,
          paint: Paint()..color = game.spec.color('accent').withOpacity(0.4)));
    }
    final last = path.last;
    add(SpriteComponent(
        sprite: frame('base'), position: at(last[0].toDouble(), last[1].toDouble()), size: Vector2.all(_cell - 6), anchor: Anchor.center));
    // the waves' timetable, as towerdefense.py's spawn_times
    var t = (level['prep_s'] as num).toDouble();
    for (final wave in (level['waves'] as List).map((w) => (w as List).map((v) => (v as num).toDouble()).toList())) {
      for (var k = 0; k < wave[0].toInt(); k++) {
        timetable.add([t + k * wave[3] / 1000, wave[1], wave[2]]);
      }
      t += (wave[0] - 1) * wave[3] / 1000 + (level['wave_gap_s'] as num).toDouble();
    }
    info = TextComponent(text: '', position: Vector2(area.center.dx, area.top + 24), anchor: Anchor.center);
    add(info);
    showInfo();
  }

  void showInfo() => info.text = 'Gold $gold   Tower $cost';

  /// (col, row) of an enemy `progress` cells along the path, as towerdefense.py's `position`.
  List<double> position(double progress) {
    final i = min(progress.floor(), path.length - 2);
    final f = progress - i;
    return [path[i][0] + (path[i + 1][0] - path[i][0]) * f, path[i][1] + (path[i + 1][1] - path[i][1]) * f];
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind != 'down') return;
    final c = ((point.x - gx) / _cell).floor();
    final r = ((point.y - gy) / _cell).floor();
    if (c < 0 || c >= _cols || r < 0 || r >= _rows || onPath.contains('$c,$r')) return;
    if (towers.any((t) => t.c == c && t.r == r) || gold < cost) return;
    gold -= cost;
    towers.add(_Tower(c, r));
    add(SpriteComponent(
        sprite: frame('tower'), position: at(c.toDouble(), r.toDouble()), size: Vector2.all(_cell - 8), anchor: Anchor.center));
    game.cue('build');
    game.analytics.track('tower_built', {'level': game.levelIndex + 1, 'towers': towers.length, 'gold': gold});
    showInfo();
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    final end = path.length - 1;
    clock += dt;
    while (spawned < timetable.length && timetable[spawned][0] <= clock) {
      final e = timetable[spawned++];
      final sprite = SpriteComponent(
          sprite: frame('enemy'), position: at(path[0][0].toDouble(), path[0][1].toDouble()), size: Vector2.all(_cell - 14),
          anchor: Anchor.center);
      add(sprite);
      enemies.add(_Enemy(e[1].toInt(), e[2], sprite));
    }
    for (final e in enemies) {
      e.progress += e.speed * dt;
    }
    for (final e in enemies.where((e) => e.progress >= end).toList()) {
      enemies.remove(e);
      e.sprite.removeFromParent();
      game.cue('leak');
      game.analytics.track('enemy_leaked', {'level': game.levelIndex + 1, 'lives': game.lives - 1});
      if (!game.loseLife('An enemy got through')) return;
    }
    for (final tower in towers) {
      tower.cooldown = max(0, tower.cooldown - dt);
      if (tower.cooldown > 0) continue;
      _Enemy? target;
      for (final e in enemies) {
        final p = position(e.progress);
        final d2 = (p[0] - tower.c) * (p[0] - tower.c) + (p[1] - tower.r) * (p[1] - tower.r);
        if (d2 <= reach * reach && (target == null || e.progress > target.progress)) target = e;
      }
      if (target == null) continue;
      target.hp -= params['tower_damage'] as int;
      tower.cooldown = (params['tower_interval_ms'] as num) / 1000;
      if (target.hp <= 0) {
        enemies.remove(target);
        target.sprite.removeFromParent();
        stopped += 1;
        gold += params['bounty'] as int;
        game.cue('stop');
        game.addScore(game.spec.basePoints);
        game.analytics.track('enemy_stopped', {'level': game.levelIndex + 1, 'stopped': stopped});
        showInfo();
      }
    }
    for (final e in enemies) {
      final p = position(e.progress);
      e.sprite
        ..position = at(p[0], p[1])
        ..opacity = 0.45 + 0.55 * e.hp / e.max;
    }
    if (spawned >= timetable.length && enemies.isEmpty) game.completeLevel();
  }
}
