// Asteroids for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py).
const double _fieldW = 516;
const double _fieldH = 600;
const Map<int, double> _radius = {1: 16, 2: 28, 3: 44};
const Map<int, double> _speedUp = {1: 1.8, 2: 1.4, 3: 1.0};
const double _shipR = 16;
const double _shotLife = 0.9;
const double _hitSeconds = 2;
const double _aimTolerance = 6;
const double _drag = 0.6;

double _wrapAngle(double a) {
  var b = a % 360;
  if (b > 180) b -= 360;
  if (b < -180) b += 360;
  return b;
}

class _Rock {
  _Rock(this.x, this.y, this.vx, this.vy, this.size, this.sprite);
  double x;
  double y;
  final double vx;
  final double vy;
  final int size;
  final SpriteComponent sprite;
  double get r => _radius[size]!;
}

class _Shot {
  _Shot(this.x, this.y, this.vx, this.vy, this.sprite);
  double x;
  double y;
  final double vx;
  final double vy;
  final SpriteComponent sprite;
  double age = 0;
}

class AsteroidsMechanic extends MechanicComponent {
  AsteroidsMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final double fx = area.left;
  late final double fy = area.bottom - _fieldH - 8;
  late final double speed = (level['speed'] as num).toDouble();
  late final double turnSpeed = (params['turn_speed'] as num).toDouble();
  late final double fireMs = (params['fire_ms'] as num).toDouble();
  late final double shotSpeed = (params['shot_speed'] as num).toDouble();
  late final double thrust = (params['thrust'] as num).toDouble();
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  final List<_Rock> rocks = [];
  final List<_Shot> shots = [];
  late SpriteComponent ship;
  double sx = _fieldW / 2;
  double sy = _fieldH / 2;
  double vx = 0;
  double vy = 0;
  double angle = -90;
  Vector2? aim;
  bool pendingShot = false;
  double cooldown = 0;
  double clock = 0;
  double hitUntil = 0;

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(fx - 4, fy - 4),
        size: Vector2(_fieldW + 8, _fieldH + 8),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.28)));
    for (final r in (level['rocks'] as List).cast<Map<String, dynamic>>()) {
      addRock((r['x'] as num).toDouble(), (r['y'] as num).toDouble(), (r['heading'] as num).toDouble(), r['size'] as int);
    }
    ship = SpriteComponent(
        sprite: frame('ship'), size: Vector2.all(_shipR * 2 + 12), anchor: Anchor.center, priority: 3);
    add(ship);
    respawn();
  }

  @override
  void respawn() {
    sx = _fieldW / 2;
    sy = _fieldH / 2;
    vx = 0;
    vy = 0;
    angle = -90;
    aim = null;
    pendingShot = false;
    cooldown = 0;
    placeShip();
  }

  void placeShip() {
    ship.position = Vector2(fx + sx, fy + sy);
    ship.angle = (angle + 90) * pi / 180; // the frame points up
  }

  void addRock(double x, double y, double heading, int size) {
    final v = speed * _speedUp[size]!;
    final rad = heading * pi / 180;
    final r = _radius[size]!;
    final sprite = SpriteComponent(
        sprite: frame('rock'), size: Vector2.all(r * 2), anchor: Anchor.center, position: Vector2(fx + x, fy + y));
    add(sprite);
    rocks.add(_Rock(x, y, cos(rad) * v, sin(rad) * v, size, sprite));
  }

  @override
  void onAction(String action) {
    if (action == 'left' || action == 'right') aim = null; // the keys take over
    if (action == 'primary') fire();
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'up') return;
    aim = Vector2(point.x - fx, point.y - fy);
    if (kind == 'down') pendingShot = true;
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    clock += dt;
    final turn = turnSpeed * dt;
    final held = (game.held.contains('right') ? 1 : 0) - (game.held.contains('left') ? 1 : 0);
    double? diff;
    final target = aim;
    if (held != 0) {
      angle = _wrapAngle(angle + held * turn);
    } else if (target != null) {
      var d = _wrapAngle(atan2(target.y - sy, target.x - sx) * 180 / pi - angle);
      final step = d.clamp(-turn, turn).toDouble();
      angle = _wrapAngle(angle + step);
      d -= step;
      diff = d;
    }
    if (game.held.contains('up') && thrust > 0) {
      vx += cos(angle * pi / 180) * thrust * dt;
      vy += sin(angle * pi / 180) * thrust * dt;
    }
    final keep = pow(_drag, dt).toDouble();
    vx *= keep;
    vy *= keep;
    sx = (sx + vx * dt + _fieldW) % _fieldW;
    sy = (sy + vy * dt + _fieldH) % _fieldH;
    cooldown -= dt * 1000;
    if (pendingShot && diff != null && diff.abs() <= _aimTolerance) fire();
    if (game.held.contains('primary')) fire();
    placeShip();
    final hittable = clock >= hitUntil;
    ship.opacity = hittable || (clock * 9).floor().isEven ? 1.0 : 0.3;
    moveRocks(dt);
    if (!moveShots(dt)) return;
    if (hittable) checkShip();
  }

  void fire() {
    if (cooldown > 0) return;
    cooldown = fireMs;
    pendingShot = false;
    final rad = angle * pi / 180;
    final x = sx + cos(rad) * _shipR;
    final y = sy + sin(rad) * _shipR;
    final sprite = SpriteComponent(
        sprite: frame('shot'), size: Vector2.all(12), anchor: Anchor.center, position: Vector2(fx + x, fy + y));
    add(sprite);
    shots.add(_Shot(x, y, cos(rad) * shotSpeed, sin(rad) * shotSpeed, sprite));
    game.cue('shot');
  }

  void moveRocks(double dt) {
    for (final r in rocks) {
      r.x += r.vx * dt;
      r.y += r.vy * dt;
      // The edges wrap: a rock leaving one side comes back on the other.
      if (r.x < -r.r) r.x += _fieldW + 2 * r.r;
      if (r.x > _fieldW + r.r) r.x -= _fieldW + 2 * r.r;
      if (r.y < -r.r) r.y += _fieldH + 2 * r.r;
      if (r.y > _fieldH + r.r) r.y -= _fieldH + 2 * r.r;
      r.sprite.position = Vector2(fx + r.x, fy + r.y);
    }
  }

  /// Shots fly straight and burst the first rock they touch. False when the level was won.
  bool moveShots(double dt) {
    for (final shot in List.of(shots)) {
      shot.x += shot.vx * dt;
      shot.y += shot.vy * dt;
      shot.age += dt;
      _Rock? hit;
      for (final r in rocks) {
        final dx = shot.x - r.x;
        final dy = shot.y - r.y;
        if (dx * dx + dy * dy < (r.r + 6) * (r.r + 6)) {
          hit = r;
          break;
        }
      }
      final gone = shot.age > _shotLife || shot.x < 0 || shot.x > _fieldW || shot.y < 0 || shot.y > _fieldH;
      if (hit != null || gone) {
        shots.remove(shot);
        shot.sprite.removeFromParent();
        if (hit != null && burst(hit)) return false;
        continue;
      }
      shot.sprite.position = Vector2(fx + shot.x, fy + shot.y);
    }
    return true;
  }

  /// A shot hit `rock`: it splits in two smaller ones (two draws of gfRng) or bursts. True when the field is clear.
  bool burst(_Rock rock) {
    rocks.remove(rock);
    rock.sprite.removeFromParent();
    if (rock.size > 1) {
      final heading = atan2(rock.vy, rock.vx) * 180 / pi;
      final r1 = rand();
      final r2 = rand();
      addRock(rock.x, rock.y, (heading + 20 + r1 * 40 + 360) % 360, rock.size - 1);
      addRock(rock.x, rock.y, (heading - 20 - r2 * 40 + 720) % 360, rock.size - 1);
    }
    game.cue('burst');
    game.addScore(game.spec.basePoints * (4 - rock.size));
    game.analytics.track('rock_destroyed', {'level': game.levelIndex + 1, 'size': rock.size, 'remaining': rocks.length});
    if (rocks.isEmpty) {
      game.completeLevel();
      return true;
    }
    return false;
  }

  void checkShip() {
    for (final r in rocks) {
      final dx = r.x - sx;
      final dy = r.y - sy;
      if (dx * dx + dy * dy < (r.r + _shipR) * (r.r + _shipR)) {
        game.cue('hit');
        game.analytics.track('ship_hit', {'level': game.levelIndex + 1, 'lives': game.lives - 1});
        hitUntil = clock + _hitSeconds;
        if (game.loseLife('A rock hit your ship')) respawn();
        return;
      }
    }
  }
}
