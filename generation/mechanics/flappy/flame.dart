// Flappy for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): the level validator reasons about the same flight.
const double _worldH = 800;
const double _birdR = 16;
const double _firstPipe = 560;
const double _terminal = 700;
const double _screenX = 130;

class _Pipe {
  _Pipe(this.x, this.gapTop, this.bottom);
  final double x;
  final double gapTop;
  final double bottom;
  bool passed = false;
}

class FlappyMechanic extends MechanicComponent {
  FlappyMechanic({required super.level, required super.params, required super.area});

  late final double speed = (level['speed'] as num).toDouble() * (params['speed_scale'] as num).toDouble();
  late final double gravity = (params['gravity'] as num).toDouble();
  late final double flapVelocity = (params['flap_velocity'] as num).toDouble();
  late final double pipeWidth = (level['pipe_width'] as num).toDouble();
  late final double spacing = (level['spacing'] as num).toDouble();
  late final double skyTop = area.top + max(0.0, (area.height - _worldH) / 2 - 20);
  final List<_Pipe> pipes = [];
  final PositionComponent view = PositionComponent();
  late SpriteComponent bird;
  late TextComponent counter;
  late double end;
  double bx = 0;
  double by = _worldH / 2;
  double vy = 0;
  double clock = 0;
  bool waiting = true;
  int passed = 0;

  @override
  Future<void> onLoad() async {
    add(view);
    final gaps = (level['gaps'] as List).cast<List>();
    final pipePaint = Paint()..color = game.spec.color('secondary');
    final lipPaint = Paint()..color = game.spec.color('accent');
    for (var i = 0; i < gaps.length; i++) {
      final middle = (gaps[i][0] as num).toDouble();
      final height = (gaps[i][1] as num).toDouble();
      final p = _Pipe(_firstPipe + i * spacing, middle - height / 2, middle + height / 2);
      pipes.add(p);
      view.add(RectangleComponent(position: Vector2(p.x, skyTop), size: Vector2(pipeWidth, p.gapTop), paint: pipePaint));
      view.add(RectangleComponent(position: Vector2(p.x, skyTop + p.bottom), size: Vector2(pipeWidth, _worldH - p.bottom), paint: pipePaint));
      view.add(RectangleComponent(position: Vector2(p.x - 6, skyTop + p.gapTop - 22), size: Vector2(pipeWidth + 12, 22), paint: lipPaint));
      view.add(RectangleComponent(position: Vector2(p.x - 6, skyTop + p.bottom), size: Vector2(pipeWidth + 12, 22), paint: lipPaint));
    }
    end = pipes.last.x + pipeWidth + _birdR;
    view.add(RectangleComponent(
        position: Vector2(-_screenX - 40, skyTop + _worldH),
        size: Vector2(end + kGameWidth + 400, area.bottom - skyTop - _worldH + 40),
        paint: Paint()..color = game.spec.color('surface')));
    bird = SpriteComponent(sprite: frame('bird'), size: Vector2(_birdR * 2 + 14, _birdR * 2 + 10), anchor: Anchor.center, priority: 3);
    counter = TextComponent(
        text: '0 / ${pipes.length}',
        anchor: Anchor.center,
        position: Vector2(kGameWidth / 2, skyTop + 90),
        textRenderer: TextPaint(style: TextStyle(fontSize: 40, color: game.spec.color('text'))));
    addAll([bird, counter]);
    place();
  }

  void flap() {
    waiting = false;
    vy = -flapVelocity;
    game.cue('flap');
  }

  @override
  void onAction(String action) {
    if (action == 'primary' || action == 'up') flap();
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down') flap();
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    clock += dt;
    if (waiting) {
      bird.position = Vector2(area.left + _screenX, skyTop + by + sin(clock * 5.5) * 8);
      return;
    }
    final steps = max(1, (max(speed, vy.abs()) * dt / 6).ceil());
    for (var i = 0; i < steps; i++) {
      if (!step(dt / steps)) return;
    }
    place();
  }

  /// One substep; false when the level ended or the bird crashed.
  bool step(double h) {
    bx += speed * h;
    if (vy >= _terminal) {
      by += _terminal * h;
    } else {
      by += vy * h + gravity * h * h / 2;
      vy = min(_terminal, vy + gravity * h);
    }
    if (by < _birdR) {
      by = _birdR; // the sky is a soft ceiling
      vy = max(0.0, vy);
    }
    if (by > _worldH - _birdR) return crash('You hit the ground', nextPipe());
    for (var i = 0; i < pipes.length; i++) {
      final p = pipes[i];
      if (p.x > bx + _birdR) break;
      if (hits(p)) return crash('You hit a pipe', i);
      if (!p.passed && bx - _birdR > p.x + pipeWidth) {
        p.passed = true;
        passed += 1;
        counter.text = '$passed / ${pipes.length}';
        game.cue('pass');
        game.addScore(game.spec.basePoints);
        game.analytics.track('pipe_passed', {'level': game.levelIndex + 1, 'count': passed});
      }
    }
    if (bx >= end) {
      place();
      game.completeLevel();
      return false;
    }
    return true;
  }

  bool hits(_Pipe p) {
    // The bird's circle against the two rectangles of a pipe.
    final dx = bx - bx.clamp(p.x, p.x + pipeWidth);
    if (dx.abs() >= _birdR) return false;
    final reach = sqrt(_birdR * _birdR - dx * dx);
    return by - reach < p.gapTop || by + reach > p.bottom;
  }

  int nextPipe() {
    for (var i = 0; i < pipes.length; i++) {
      if (!pipes[i].passed) return i;
    }
    return pipes.length - 1;
  }

  int crashedAt = 0;

  bool crash(String cause, int pipe) {
    game.cue('crash');
    game.analytics.track('bird_crashed', {'level': game.levelIndex + 1, 'pipe': pipe + 1, 'cause': cause});
    crashedAt = pipe;
    place();
    if (game.loseLife(cause)) respawn();
    return false;
  }

  /// Back before the pipe that was missed, at the height of its gap, waiting for a flap.
  @override
  void respawn() {
    final p = pipes[crashedAt];
    final after = crashedAt > 0 ? pipes[crashedAt - 1].x + pipeWidth + _birdR + 10 : 0.0;
    bx = max(after, p.x - 200);
    by = (p.gapTop + p.bottom) / 2;
    vy = 0;
    waiting = true;
    place();
  }

  void place() {
    view.position = Vector2(area.left + _screenX - bx, 0);
    bird.position = Vector2(area.left + _screenX, skyTop + by);
    bird.angle = waiting ? 0.0 : (vy / 500).clamp(-0.5, 1.2).toDouble();
  }
}
