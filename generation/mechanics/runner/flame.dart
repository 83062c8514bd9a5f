// Endless runner for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): the level validator searches the same geometry.
const double _playerW = 40;
const double _playerH = 56;
const double _droneH = 34;
const double _pointsEvery = 50;
const double _screenX = 96;
const double _substep = 6;
const double _respawnSeconds = 0.9;

class _Coin {
  _Coin(this.x, this.alt, this.sprite);
  final double x;
  final double alt;
  final SpriteComponent sprite;
  bool taken = false;
}

class RunnerMechanic extends MechanicComponent {
  RunnerMechanic({required super.level, required super.params, required super.area});

  late final double speed = (level['speed'] as num).toDouble() * (params['speed_scale'] as num).toDouble();
  late final double gravity = (params['gravity'] as num).toDouble();
  late final double jumpVelocity = (params['jump_velocity'] as num).toDouble();
  late final double length = (level['length'] as num).toDouble();
  late final double groundY = area.bottom - 90;
  late final List<List<double>> blocks = _rows('blocks');
  late final List<List<double>> pits = _rows('pits');
  late final List<List<double>> drones = _rows('drones');
  final List<_Coin> coins = [];
  final PositionComponent track = PositionComponent();
  late SpriteComponent runner;
  double px = 0;
  double alt = 0;
  double vy = 0;
  double frozen = 0;
  double nextPointAt = _pointsEvery;
  bool airborne = false;
  bool falling = false;
  bool started = false;
  int coinsTaken = 0;

  List<List<double>> _rows(String key) => [
        for (final row in level[key] as List) [for (final v in row as List) (v as num).toDouble()],
      ]..sort((a, b) => a[0].compareTo(b[0]));

  @override
  Future<void> onLoad() async {
    add(track);
    final ground = Paint()..color = game.spec.color('secondary');
    final edges = <double>[-_screenX - 40, for (final p in pits) ...[p[0], p[0] + p[1]], length + kGameWidth + 200];
    for (var i = 0; i + 1 < edges.length; i += 2) {
      if (edges[i + 1] <= edges[i]) continue;
      track.add(RectangleComponent(
          position: Vector2(edges[i], groundY), size: Vector2(edges[i + 1] - edges[i], area.bottom - groundY), paint: ground));
    }
    for (final b in blocks) {
      track.add(SpriteComponent(sprite: frame('block'), position: Vector2(b[0], groundY - b[2]), size: Vector2(b[1], b[2])));
    }
    for (final d in drones) {
      track.add(SpriteComponent(
          sprite: frame('drone'), position: Vector2(d[0], groundY - d[1] - _droneH), size: Vector2(d[2], _droneH)));
    }
    for (final c in (level['coins'] as List).cast<List>()) {
      final x = (c[0] as num).toDouble();
      final height = (c[1] as num).toDouble();
      final sprite = SpriteComponent(
          sprite: frame('coin'), position: Vector2(x, groundY - height), size: Vector2.all(28), anchor: Anchor.center);
      track.add(sprite);
      coins.add(_Coin(x, height, sprite));
    }
    track.add(SpriteComponent(
        sprite: frame('flag'), position: Vector2(length + _playerW + 24, groundY), size: Vector2(48, 72), anchor: Anchor.bottomCenter));
    runner = SpriteComponent(
        sprite: frame('runner'), size: Vector2(_playerW + 8, _playerH + 4), anchor: Anchor.bottomLeft, priority: 3);
    add(runner);
    place();
  }

  void jump() {
    started = true;
    if (frozen > 0 || falling || airborne) return;
    airborne = true;
    vy = jumpVelocity;
    game.cue('jump');
  }

  @override
  void onAction(String action) {
    if (action == 'primary' || action == 'up') jump();
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down') jump();
  }

  bool pitUnder(double x) => pits.any((p) => x > p[0] && x < p[0] + p[1]);

  bool overlaps(double x0, double x1, double y0, double y1) =>
      px < x1 && px + _playerW > x0 && alt < y1 && alt + _playerH > y0;

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing || !started) return;
    if (frozen > 0) {
      frozen -= dt;
      runner.opacity = (frozen * 8).floor().isEven ? 1.0 : 0.35;
      if (frozen <= 0) runner.opacity = 1;
      return;
    }
    final steps = max(1, (speed * dt / _substep).ceil());
    for (var i = 0; i < steps; i++) {
      if (!step(dt / steps)) return;
    }
    place();
  }

  /// One substep; false when the level ended or the runner crashed.
  bool step(double h) {
    px += speed * h;
    if (airborne) {
      alt += vy * h - gravity * h * h / 2; // exact for constant gravity
      vy -= gravity * h;
    }
    final overPit = pitUnder(px + _playerW / 2);
    if (falling) {
      if (alt < -_playerH * 0.6 || (!overPit && alt < -4)) return crash('You fell into a pit');
    } else if (airborne && alt <= 0 && vy <= 0) {
      if (overPit) {
        falling = true;
      } else {
        alt = 0;
        vy = 0;
        airborne = false;
      }
    } else if (!airborne && overPit) {
      airborne = true;
      falling = true;
      vy = 0;
    }
    for (final b in blocks) {
      if (b[0] > px + _playerW) break;
      if (overlaps(b[0], b[0] + b[1], 0, b[2])) return crash('You hit a block');
    }
    for (final d in drones) {
      if (d[0] > px + _playerW) break;
      if (overlaps(d[0], d[0] + d[2], d[1], d[1] + _droneH)) return crash('A drone got you');
    }
    for (final c in coins) {
      if (c.taken || c.x > px + _playerW + 14 || c.x < px - 14) continue;
      if (c.alt > alt - 14 && c.alt < alt + _playerH + 14) {
        c.taken = true;
        coinsTaken += 1;
        c.sprite.removeFromParent();
        game.cue('coin');
        game.addScore(game.spec.basePoints);
        game.analytics.track('coin_collected', {'level': game.levelIndex + 1, 'coins': coinsTaken});
      }
    }
    while (px >= nextPointAt) {
      nextPointAt += _pointsEvery;
      game.addScore(1);
    }
    if (px >= length) {
      place();
      game.completeLevel();
      return false;
    }
    return true;
  }

  bool crash(String cause) {
    game.cue('crash');
    game.analytics.track('runner_crashed', {'level': game.levelIndex + 1, 'cause': cause, 'distance': px.round()});
    place();
    if (game.loseLife(cause)) respawn();
    return false;
  }

  bool safeAt(double x) {
    final lo = x - 80;
    final hi = x + _playerW + 120;
    if (pitUnder(x + _playerW / 2) || pitUnder(x + _playerW / 2 + 60)) return false;
    return !blocks.any((b) => b[0] < hi && b[0] + b[1] > lo) && !drones.any((d) => d[0] < hi && d[0] + d[2] > lo);
  }

  @override
  void respawn() {
    var x = max(0.0, px - 260);
    while (x > 0 && !safeAt(x)) {
      x -= 10;
    }
    px = max(0.0, x);
    alt = 0;
    vy = 0;
    airborne = false;
    falling = false;
    frozen = _respawnSeconds;
    place();
  }

  void place() {
    track.position = Vector2(area.left + _screenX - px, 0);
    runner.position = Vector2(area.left + _screenX - 4, groundY - alt);
    runner.angle = airborne && !falling ? (-vy / 2600).clamp(-0.35, 0.35).toDouble() : 0.0;
  }
}
