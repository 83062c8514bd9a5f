// Dodger for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): the validator searches the very same stream.
const double _fieldW = 516;
const double _fieldH = 600;
const double _shipY = 540;
const double _shipHW = 18;
const double _shipHH = 16;
const double _hitSeconds = 1.5;

class _Faller {
  _Faller(this.t0, this.x0, this.r, this.vx, this.vy, this.star, this.sprite);
  final double t0;
  final double x0;
  final double r;
  final double vx;
  final double vy;
  final bool star;
  final SpriteComponent sprite;
  double x = 0;
  double y = 0;
}

class DodgerMechanic extends MechanicComponent {
  DodgerMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final double fx = area.left;
  late final double fy = area.bottom - _fieldH - 8;
  late final double shipSpeed = (params['ship_speed'] as num).toDouble();
  late final double startMs = (level['start_ms'] as num).toDouble();
  late final double spawnMs = (level['spawn_ms'] as num).toDouble();
  late final double timeLimit = (level['time_limit_s'] as num).toDouble();
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late final int total = max(0, ((timeLimit * 1000 - startMs) / spawnMs).ceil());
  final List<_Faller> fallers = [];
  late SpriteComponent ship;
  double shipX = _fieldW / 2;
  double? targetX;
  double clock = 0;
  double hitUntil = 0;
  int spawned = 0;
  int stars = 0;
  int dodged = 0;

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(fx - 4, fy - 4),
        size: Vector2(_fieldW + 8, _fieldH + 8),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.28)));
    ship = SpriteComponent(
        sprite: frame('ship'), position: Vector2(fx + shipX, fy + _shipY), size: Vector2(_shipHW * 2 + 10, _shipHH * 2 + 10),
        anchor: Anchor.center, priority: 3);
    add(ship);
  }

  /// The next thing of the stream: the same four draws per spawn as dodger.py's `fallers`.
  void spawn() {
    final k = spawned++;
    final r1 = rand();
    final r2 = rand();
    final r3 = rand();
    final r4 = rand();
    final sizeMin = (level['size_min'] as num).toDouble();
    final sizeMax = (level['size_max'] as num).toDouble();
    final speedMin = (level['speed_min'] as num).toDouble();
    final speedMax = (level['speed_max'] as num).toDouble();
    final radius = sizeMin + r1 * (sizeMax - sizeMin);
    final star = params['stars'] == true && (k + 1) % 5 == 0;
    final size = star ? 34.0 : radius * 2;
    final sprite = SpriteComponent(sprite: frame(star ? 'star' : 'rock'), size: Vector2.all(size), anchor: Anchor.center);
    add(sprite);
    fallers.add(_Faller((startMs + k * spawnMs) / 1000, r2 * _fieldW, radius,
        (r4 * 2 - 1) * (level['drift'] as num).toDouble(), speedMin + r3 * (speedMax - speedMin), star, sprite));
  }

  @override
  void onAction(String action) => targetX = null; // the keys take over from the finger

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down' || kind == 'move') targetX = point.x - fx;
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    final left = game.timeLeft;
    if (left != null && left - dt <= 0) {
      game.completeLevel(); // survived: before the runtime calls the clock's end a loss
      return;
    }
    clock += dt;
    final held = (game.held.contains('right') ? 1 : 0) - (game.held.contains('left') ? 1 : 0);
    final target = targetX;
    if (held != 0) {
      shipX += held * shipSpeed * dt;
    } else if (target != null) {
      shipX += (target - shipX).clamp(-shipSpeed * dt, shipSpeed * dt).toDouble();
    }
    shipX = shipX.clamp(_shipHW, _fieldW - _shipHW).toDouble();
    ship.position.x = fx + shipX;
    while (spawned < total && (startMs + spawned * spawnMs) / 1000 <= clock) {
      spawn();
    }
    var hittable = clock >= hitUntil;
    ship.opacity = hittable || (clock * 9).floor().isEven ? 1.0 : 0.3;
    for (final f in List.of(fallers)) {
      f.x = f.x0 + f.vx * (clock - f.t0);
      f.y = -f.r + f.vy * (clock - f.t0);
      f.sprite.position = Vector2(fx + f.x, fy + f.y);
      if (f.y - f.r > _fieldH || f.x < -f.r || f.x > _fieldW + f.r) {
        drop(f);
        if (!f.star) {
          dodged += 1;
          game.addScore(1);
          if (dodged % 10 == 0) game.cue('dodge');
        }
        continue;
      }
      if (!touches(f)) continue;
      if (f.star) {
        drop(f);
        stars += 1;
        game.cue('star');
        game.addScore(game.spec.basePoints * 2);
        game.analytics.track('star_collected', {'level': game.levelIndex + 1, 'stars': stars});
      } else if (hittable) {
        drop(f);
        hittable = false;
        hitUntil = clock + _hitSeconds;
        game.cue('hit');
        game.analytics.track('ship_hit', {'level': game.levelIndex + 1, 'lives': game.lives - 1});
        if (!game.loseLife('An asteroid hit you')) return;
      }
    }
  }

  void drop(_Faller f) {
    fallers.remove(f);
    f.sprite.removeFromParent();
  }

  bool touches(_Faller f) {
    // The rock's circle against the ship's box.
    final dx = f.x - f.x.clamp(shipX - _shipHW, shipX + _shipHW);
    final dy = f.y - f.y.clamp(_shipY - _shipHH, _shipY + _shipHH);
    return dx * dx + dy * dy < f.r * f.r;
  }
}
