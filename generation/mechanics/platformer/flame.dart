// Platformer for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): the level validator searches the same geometry.
const double _playerW = 32;
const double _playerH = 44;
const double _spikeH = 16;
const double _enemyW = 34;
const double _enemyH = 30;
const double _flagW = 28;
const double _flagH = 64;
const double _coyote = 0.11;
const double _buffer = 0.13;
const double _jumpCut = 0.45;
const double _maxFall = 1500;
const double _hurtSeconds = 1.3;
const double _edgeSafe = 36;

class _Platform {
  _Platform(this.x, this.top, this.w);
  final double x;
  final double top;
  final double w;
}

class _Enemy {
  _Enemy(this.x1, this.x2, this.top, this.speed, this.sprite) : x = x1;
  final double x1;
  final double x2;
  final double top;
  final double speed;
  final SpriteComponent sprite;
  double x;
  bool alive = true;
}

class _Gem {
  _Gem(this.x, this.y, this.sprite);
  final double x;
  final double y;
  final SpriteComponent sprite;
  bool taken = false;
}

class PlatformerMechanic extends MechanicComponent {
  PlatformerMechanic({required super.level, required super.params, required super.area});

  late final double runSpeed = (params['run_speed'] as num).toDouble();
  late final double gravity = (params['gravity'] as num).toDouble();
  late final double jumpVelocity = (params['jump_velocity'] as num).toDouble();
  late final double worldWidth = (level['width'] as num).toDouble();
  late final double baseY = area.bottom - 4; // world y = 0; below it is a fall
  late final List<double> goal = _point(level['goal']);
  final List<_Platform> platforms = [];
  final List<List<double>> spikes = [];
  final List<_Enemy> enemies = [];
  final List<_Gem> gems = [];
  final PositionComponent view = PositionComponent();
  late SpriteComponent player;
  late double px;
  late double py;
  double vx = 0;
  double vy = 0;
  _Platform? ground;
  double clock = 0;
  double leftGroundAt = -1e9;
  double jumpAt = -1e9;
  double hurtUntil = 0;
  bool cut = false;
  int pointerDir = 0;
  bool pointerJump = false;
  int gemsTaken = 0;
  late double safeX;
  late double safeY;
  _Platform? safeGround;

  static List<double> _point(Object? raw) => [for (final v in raw as List) (v as num).toDouble()];

  @override
  Future<void> onLoad() async {
    add(view);
    final platformPaint = Paint()..color = game.spec.color('secondary');
    final edgePaint = Paint()..color = game.spec.color('accent');
    for (final raw in level['platforms'] as List) {
      final p = _point(raw);
      platforms.add(_Platform(p[0], p[1], p[2]));
      view.add(RectangleComponent(position: Vector2(p[0], baseY - p[1]), size: Vector2(p[2], 18), paint: platformPaint));
      view.add(RectangleComponent(position: Vector2(p[0] + 3, baseY - p[1]), size: Vector2(p[2] - 6, 4), paint: edgePaint));
    }
    for (final raw in level['spikes'] as List) {
      final s = _point(raw);
      spikes.add(s);
      final n = max(1, (s[2] / 16).round());
      for (var i = 0; i < n; i++) {
        view.add(SpriteComponent(
            sprite: frame('spike'), position: Vector2(s[0] + s[2] / n * i, baseY - s[1] - _spikeH), size: Vector2(s[2] / n, _spikeH)));
      }
    }
    for (final raw in level['enemies'] as List) {
      final e = _point(raw);
      final sprite = SpriteComponent(
          sprite: frame('enemy'), position: Vector2(e[0], baseY - e[2]), size: Vector2(_enemyW, _enemyH), anchor: Anchor.bottomCenter);
      view.add(sprite);
      enemies.add(_Enemy(e[0], e[1], e[2], e[3], sprite));
    }
    for (final raw in level['gems'] as List) {
      final g = _point(raw);
      final sprite = SpriteComponent(
          sprite: frame('gem'), position: Vector2(g[0], baseY - g[1]), size: Vector2.all(26), anchor: Anchor.center);
      view.add(sprite);
      gems.add(_Gem(g[0], g[1], sprite));
    }
    view.add(SpriteComponent(
        sprite: frame('flag'), position: Vector2(goal[0], baseY - goal[1]), size: Vector2(_flagW + 12, _flagH), anchor: Anchor.bottomCenter));
    final start = _point(level['start']);
    px = start[0];
    py = start[1];
    ground = platformUnder(px, py);
    safeX = px;
    safeY = py;
    safeGround = ground;
    player = SpriteComponent(sprite: frame('player'), size: Vector2(_playerW + 8, _playerH + 6), anchor: Anchor.bottomCenter, priority: 3);
    view.add(player);
    place();
  }

  _Platform? platformUnder(double x, double y) {
    for (final p in platforms) {
      if ((p.top - y).abs() < 1 && x >= p.x && x <= p.x + p.w) return p;
    }
    return null;
  }

  @override
  void onAction(String action) {
    if (action == 'primary' || action == 'up') jumpAt = clock;
  }

  @override
  void onPointer(String kind, Vector2 point) {
    // Hold the left or right third of the screen to run; tap the middle to jump.
    if (kind == 'up') {
      pointerDir = 0;
      pointerJump = false;
      return;
    }
    pointerDir = point.x < kGameWidth / 3 ? -1 : (point.x > kGameWidth * 2 / 3 ? 1 : 0);
    if (kind == 'down' && pointerDir == 0) {
      jumpAt = clock;
      pointerJump = true;
    }
  }

  bool get jumpHeld => pointerJump || game.held.contains('primary') || game.held.contains('up');

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    clock += dt;
    final keys = (game.held.contains('right') ? 1 : 0) - (game.held.contains('left') ? 1 : 0);
    final dir = keys != 0 ? keys : pointerDir;
    vx = dir * runSpeed;
    if (dir != 0) player.scale.x = dir < 0 ? -1.0 : 1.0;
    for (final e in enemies) {
      if (!e.alive) continue;
      final span = e.x2 - e.x1;
      final d = (clock * e.speed) % (2 * span);
      e.x = e.x1 + (d <= span ? d : 2 * span - d);
      e.sprite.position.x = e.x;
    }
    final canJump = ground != null || clock - leftGroundAt <= _coyote;
    if (clock - jumpAt <= _buffer && canJump) {
      jumpAt = -1e9;
      ground = null;
      leftGroundAt = -1e9;
      vy = jumpVelocity;
      cut = false;
      game.cue('jump');
    }
    if (!cut && vy > 0 && !jumpHeld) {
      vy *= _jumpCut; // released early: a short hop
      cut = true;
    }
    final steps = max(1, (max(vx.abs(), vy.abs()) * dt / 6).ceil());
    for (var i = 0; i < steps; i++) {
      if (!step(dt / steps)) return;
    }
    player.opacity = hurtUntil > clock && (clock * 9).floor().isOdd ? 0.35 : 1.0;
    place();
  }

  /// One substep; false when the level ended or a life was lost.
  bool step(double h) {
    px = (px + vx * h).clamp(_playerW / 2, worldWidth - _playerW / 2).toDouble();
    final g = ground;
    if (g != null && (px < g.x || px > g.x + g.w)) {
      ground = null;
      leftGroundAt = clock;
    }
    final prev = py;
    if (ground == null) {
      py += vy * h - gravity * h * h / 2;
      vy = max(-_maxFall, vy - gravity * h);
      if (vy <= 0) {
        _Platform? best;
        for (final p in platforms) {
          if (px >= p.x && px <= p.x + p.w && prev >= p.top - 0.5 && py <= p.top && (best == null || p.top > best.top)) best = p;
        }
        if (best != null) {
          py = best.top;
          vy = 0;
          ground = best;
        }
      }
    }
    final left = px - _playerW / 2;
    final right = px + _playerW / 2;
    final hurtable = hurtUntil <= clock;
    if (hurtable) {
      for (final s in spikes) {
        if (left < s[0] + s[2] - 3 && right > s[0] + 3 && py < s[1] + _spikeH - 4 && py + _playerH > s[1]) {
          return hurt('Ouch, spikes!');
        }
      }
    }
    for (final e in enemies) {
      if (!e.alive) continue;
      if (left < e.x + _enemyW / 2 && right > e.x - _enemyW / 2 && py < e.top + _enemyH && py + _playerH > e.top) {
        if (vy < 0 && prev >= e.top + _enemyH * 0.5) {
          e.alive = false;
          e.sprite.removeFromParent();
          vy = jumpVelocity * 0.55;
          game.cue('stomp');
          game.addScore(game.spec.basePoints * 3);
          game.analytics.track('enemy_stomped', {'level': game.levelIndex + 1});
        } else if (hurtable) {
          return hurt('An enemy got you');
        }
      }
    }
    for (final gem in gems) {
      if (!gem.taken && (gem.x - px).abs() < _playerW / 2 + 12 && gem.y > py - 12 && gem.y < py + _playerH + 12) {
        gem.taken = true;
        gemsTaken += 1;
        gem.sprite.removeFromParent();
        game.cue('gem');
        game.addScore(game.spec.basePoints * 2);
        game.analytics.track('gem_collected', {'level': game.levelIndex + 1, 'gems': gemsTaken});
      }
    }
    if ((goal[0] - px).abs() < (_playerW + _flagW) / 2 && py < goal[1] + _flagH && py + _playerH > goal[1]) {
      place();
      game.cue('goal');
      game.completeLevel();
      return false;
    }
    if (py < -80) return hurt('You fell');
    final here = ground;
    if (here != null && hurtable) rememberSafe(here);
    return true;
  }

  void rememberSafe(_Platform p) {
    final inset = min(_edgeSafe, p.w / 2);
    final x = px.clamp(p.x + inset, p.x + p.w - inset).toDouble();
    if (spikes.any((s) => s[1] == p.top && x > s[0] - 60 && x < s[0] + s[2] + 60)) return;
    if (enemies.any((e) => e.alive && e.top == p.top && (e.x - x).abs() < 110)) return;
    safeX = x;
    safeY = py;
    safeGround = p;
  }

  bool hurt(String cause) {
    game.cue('hurt');
    game.analytics.track('player_hurt', {'level': game.levelIndex + 1, 'cause': cause});
    if (game.loseLife(cause)) respawn();
    return false;
  }

  @override
  void respawn() {
    px = safeX;
    py = safeY;
    vx = 0;
    vy = 0;
    ground = safeGround;
    jumpAt = -1e9;
    hurtUntil = clock + _hurtSeconds;
    place();
  }

  void place() {
    final camX = (px - area.width * 0.4).clamp(0, max(0.0, worldWidth - area.width)).toDouble();
    view.position = Vector2(area.left - camX, 0);
    player.position = Vector2(px, baseY - py);
  }
}
