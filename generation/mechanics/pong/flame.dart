// Pong for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): its validator proves a winning return exists.
const double _fieldW = 516;
const double _fieldH = 820;
const double _paddleH = 20;
const double _ballR = 9;
const double _cpuY = 50;
const double _playerY = _fieldH - 50;
const double _maxBounce = pi / 3;
const double _playerHitY = _playerY - _paddleH / 2 - _ballR;
const double _cpuHitY = _cpuY + _paddleH / 2 + _ballR;
const double _travel = _playerHitY - _cpuHitY;
const double _avatar = 44;

/// Where a ball moving freely to [x] ends up between walls at [lo] and [hi].
double _reflect(double x, double lo, double hi) {
  final width = hi - lo;
  final m = ((x - lo) % (2 * width) + 2 * width) % (2 * width);
  return lo + (m <= width ? m : 2 * width - m);
}

/// One paddle: side 0 is the player at the bottom, side 1 the computer at the top (a second player later).
class _Side {
  _Side(this.y, this.w, this.controller, this.dy);
  final double y;
  final double w;
  final String controller;
  final double dy;
  double x = _fieldW / 2;
  late SpriteComponent paddle;
  late SpriteComponent avatar;
}

class PongMechanic extends MechanicComponent {
  PongMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late final double fx = area.left;
  late final double fy = area.top + max(0, (area.height - _fieldH) / 2);
  late final double speedBase = (params['ball_speed'] as num) * (level['ball_speed_scale'] as num).toDouble();
  late final double speedTop = speedBase * (params['max_speed_scale'] as num).toDouble();
  late final double cpuSpeed = (level['cpu_speed'] as num).toDouble();
  late final double cpuReaction = (level['cpu_reaction'] as num).toDouble();
  late final double cpuError = (level['cpu_error'] as num).toDouble();
  late final int toWin = level['points_to_win'] as int;
  late final List<_Side> sides = [
    _Side(_playerY, (params['paddle_width'] as num).toDouble(), 'human', _avatar / 2 + 12),
    _Side(_cpuY, ((params['paddle_width'] as num) * (level['cpu_paddle_scale'] as num)).roundToDouble(), 'cpu',
        -(_avatar / 2 + 12)),
  ];
  final List<int> points = [0, 0];
  late SpriteComponent ballSprite;
  late TextComponent tally;
  double speed = 0;
  double bx = 0;
  double by = 0;
  Vector2 velocity = Vector2.zero();
  double cpuAim = 0;
  int rally = 0;
  bool serving = true;
  double? targetX;

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(fx, fy),
        size: Vector2(_fieldW, _fieldH),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.85)));
    final frames = ['paddle', 'cpu'];
    final faces = ['player', 'rival'];
    for (var i = 0; i < sides.length; i++) {
      final side = sides[i];
      side.avatar = SpriteComponent(sprite: frame(faces[i]), size: Vector2.all(_avatar), anchor: Anchor.center)
        ..opacity = 0.9;
      side.paddle = SpriteComponent(sprite: frame(frames[i]), size: Vector2(side.w, _paddleH), anchor: Anchor.center);
      addAll([side.avatar, side.paddle]);
    }
    ballSprite = SpriteComponent(sprite: frame('ball'), size: Vector2.all(_ballR * 2 + 4), anchor: Anchor.center);
    tally = TextComponent(text: '', position: Vector2(fx + _fieldW / 2, fy + _fieldH / 2 - 26), anchor: Anchor.center);
    addAll([ballSprite, tally]);
    serve();
  }

  void serve() {
    serving = true;
    speed = speedBase;
    rally = 0;
    velocity = Vector2.zero();
    cpuAim = 0;
    bx = sides[0].x;
    by = _playerHitY - 1;
    tally.text = '${points[0]} : ${points[1]}  / $toWin';
    draw();
  }

  /// The computer's aim for the next return: the same draw, in the same order, as scene.js.
  void drawAim() => cpuAim = (rand() * 2 - 1) * cpuError * (sides[1].w / 2);

  void launch() {
    if (!serving) return;
    serving = false;
    final angle = (rand() * 2 - 1) * 0.45;
    setVelocity(angle, true);
    drawAim();
    game.cue('paddle');
  }

  void setVelocity(double angle, bool up) =>
      velocity = Vector2(speed * sin(angle), (up ? -1 : 1) * speed * cos(angle));

  @override
  void onAction(String action) {
    if (action == 'primary' || action == 'up') launch();
  }

  @override
  void onPointer(String kind, Vector2 point) {
    targetX = point.x - fx;
    if (kind == 'down') launch();
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    final me = sides[0];
    if (game.held.contains('left') || game.held.contains('right')) {
      targetX = null;
      me.x += (game.held.contains('right') ? 1 : -1) * 760 * dt;
    } else if (targetX != null) {
      me.x += (targetX! - me.x).clamp(-2400 * dt, 2400 * dt);
    }
    me.x = me.x.clamp(me.w / 2, _fieldW - me.w / 2).toDouble();
    moveCpu(dt);
    if (serving) {
      bx = me.x;
      by = _playerHitY - 1;
    } else {
      final steps = max(1, (speed * dt / 6).ceil());
      for (var i = 0; i < steps; i++) {
        if (!step(dt / steps)) break;
      }
    }
    draw();
  }

  /// Back to the middle while the ball goes away; for where it will arrive once it has come far enough.
  void moveCpu(double dt) {
    final c = sides[1];
    var target = _fieldW / 2;
    if (!serving && velocity.y < 0 && _playerHitY - by >= cpuReaction * _travel) {
      final t = (by - _cpuHitY) / -velocity.y;
      target = _reflect(bx + velocity.x * t, _ballR, _fieldW - _ballR) + cpuAim;
    }
    c.x += (target - c.x).clamp(-cpuSpeed * dt, cpuSpeed * dt);
    c.x = c.x.clamp(c.w / 2, _fieldW - c.w / 2).toDouble();
  }

  void speedUp() => speed = min(speedTop, speed * (1 + (params['speed_up_per_hit'] as num).toDouble()));

  bool step(double dt) {
    bx += velocity.x * dt;
    by += velocity.y * dt;
    if (bx < _ballR || bx > _fieldW - _ballR) {
      velocity.x = bx < _ballR ? velocity.x.abs() : -velocity.x.abs();
      bx = bx.clamp(_ballR, _fieldW - _ballR).toDouble();
      game.cue('wall');
    }
    final me = sides[0];
    final cpu = sides[1];
    if (velocity.y > 0 && by >= _playerHitY && by <= _playerHitY + _paddleH && (bx - me.x).abs() <= me.w / 2 + _ballR) {
      final offset = ((bx - me.x) / (me.w / 2)).clamp(-1.0, 1.0);
      by = _playerHitY;
      speedUp();
      setVelocity(offset * _maxBounce, true);
      rally += 1;
      drawAim();
      game.cue('paddle');
      game.analytics.track('ball_returned', {'level': game.levelIndex + 1, 'rally': rally});
    } else if (velocity.y < 0 && by <= _cpuHitY && by >= _cpuHitY - _paddleH && (bx - cpu.x).abs() <= cpu.w / 2 + _ballR) {
      final offset = ((bx - cpu.x) / (cpu.w / 2)).clamp(-1.0, 1.0);
      by = _cpuHitY;
      speedUp();
      setVelocity(offset * _maxBounce, false);
      game.cue('paddle');
    }
    if (by > _fieldH + _ballR) {
      points[1] += 1;
      game.cue('miss');
      game.analytics.track('point_lost',
          {'level': game.levelIndex + 1, 'player': points[0], 'cpu': points[1], 'lives': game.lives - 1});
      if (game.loseLife('The computer scored')) serve();
      return false;
    }
    if (by < -_ballR) {
      points[0] += 1;
      game.cue('point');
      game.addScore(game.spec.basePoints);
      game.analytics.track('point_won', {'level': game.levelIndex + 1, 'player': points[0], 'cpu': points[1]});
      if (points[0] >= toWin) {
        game.completeLevel();
      } else {
        serve();
      }
      return false;
    }
    return true;
  }

  void draw() {
    for (final side in sides) {
      side.paddle.position = Vector2(fx + side.x, fy + side.y);
      side.avatar.position = Vector2(fx + side.x, fy + side.y + side.dy);
    }
    ballSprite.position = Vector2(fx + bx, fy + by);
  }

  @override
  void respawn() => serve();
}
