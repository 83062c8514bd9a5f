// Mini golf for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// The web game rolls the ball with Matter.js; here the same fixed 60 Hz steps, the same damping
// and the same sizes (course.py's, in cells) roll it with a small circle-against-box solver.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const int _cols = 9;
const int _rows = 15;
const double _ballR = 0.22;
const double _holeR = 0.36;
const double _bumperR = 0.32;
const double _stepS = 1 / 60;
const int _maxSteps = 4;
const double _damping = 0.04;
const double _stop = 0.0015;
const double _sink = 0.1;
const double _minPower = 0.04;
const double _pull = 230;
const double _wallBounce = 0.7;
const double _statusH = 44;

/// The launch speed (cells per step) that rolls `cells` on open grass, as scene.js's speedForCells.
double speedForCells(double cells) => cells * _damping / (1 - _damping) + _stop;

class _Mover {
  _Mover(this.data, this.home, this.sprite);
  final Map<String, dynamic> data;
  final Vector2 home;
  final SpriteComponent sprite;
  Rect box = Rect.zero;
}

class GolfMechanic extends MechanicComponent {
  GolfMechanic({required super.level, required super.params, required super.area});

  late final List<String> rows = (level['rows'] as List).cast<String>();
  late final int shots = level['shots'] as int;
  late final int par = level['par'] as int;
  late final double maxPutt = (params['max_putt'] as num).toDouble();
  late final double bumperBounce = (params['bumper_bounce'] as num).toDouble();
  late final double cell = min(area.width / _cols, (area.height - _statusH) / _rows).floorToDouble();
  late final double x0 = (area.left + (area.width - cell * _cols) / 2).roundToDouble();
  late final double y0 = (area.top + (area.height - _statusH - cell * _rows) / 2).roundToDouble();
  final List<Rect> walls = [];
  final List<Vector2> bumpers = [];
  final List<_Mover> movers = [];
  late SpriteComponent ballSprite;
  late TextComponent info;
  Vector2 ball = Vector2.zero();
  Vector2 velocity = Vector2.zero();
  Vector2 shotFrom = Vector2.zero();
  Vector2 hole = Vector2.zero();
  Vector2? press;
  bool aiming = false;
  bool rolling = false;
  bool sunk = false;
  int strokes = 0;
  int steps = 0;
  double acc = 0;
  double aim = -pi / 2;
  double power = 0.5;

  Vector2 at(double cx, double cy) => Vector2(x0 + cx * cell, y0 + cy * cell);

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(x0 - 6, y0 - 6),
        size: Vector2(cell * _cols + 12, cell * _rows + 12),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.85)));
    add(RectangleComponent(
        position: Vector2(x0, y0),
        size: Vector2(cell * _cols, cell * _rows),
        paint: Paint()..color = game.spec.color('secondary').withOpacity(0.55)));
    final wallPaint = Paint()..color = game.spec.color('primary');
    for (var y = 0; y < _rows; y++) {
      var x = 0;
      while (x < _cols) {
        if (rows[y][x] != '#') {
          x += 1;
          continue;
        }
        final start = x;
        while (x < _cols && rows[y][x] == '#') {
          x += 1;
        }
        final rect = Rect.fromLTWH(x0 + start * cell, y0 + y * cell, (x - start) * cell, cell);
        walls.add(rect);
        add(RectangleComponent(position: Vector2(rect.left, rect.top), size: Vector2(rect.width, rect.height), paint: wallPaint));
      }
    }
    for (var y = 0; y < _rows; y++) {
      for (var x = 0; x < _cols; x++) {
        final ch = rows[y][x];
        final c = at(x + 0.5, y + 0.5);
        if (ch == 'o') {
          bumpers.add(c);
          add(SpriteComponent(sprite: frame('bumper'), position: c, size: Vector2.all(_bumperR * cell * 2.3), anchor: Anchor.center));
        } else if (ch == '~') {
          add(RectangleComponent(
              position: at(x.toDouble(), y.toDouble()),
              size: Vector2.all(cell),
              paint: Paint()..color = game.spec.color('danger').withOpacity(0.35)));
          add(SpriteComponent(sprite: frame('water'), position: c, size: Vector2.all(cell * 0.62), anchor: Anchor.center));
        } else if (ch == 'H') {
          hole = c;
          add(CircleComponent(radius: _holeR * cell, position: c, anchor: Anchor.center, paint: Paint()..color = const Color(0x8C000000)));
          add(SpriteComponent(sprite: frame('hole'), position: c, size: Vector2.all(_holeR * cell * 2.2), anchor: Anchor.center));
        } else if (ch == 'S') {
          ball = c.clone();
        }
      }
    }
    for (final m in (level['movers'] as List? ?? const [])) {
      final data = Map<String, dynamic>.from(m as Map);
      final w = (data['width'] as int) * cell;
      final h = (data['height'] as int) * cell;
      final home = at((data['x'] as int) + (data['width'] as int) / 2, (data['y'] as int) + (data['height'] as int) / 2);
      final sprite = SpriteComponent(sprite: frame('mover'), position: home.clone(), size: Vector2(w, h * 0.86), anchor: Anchor.center);
      add(sprite);
      movers.add(_Mover(data, home, sprite)..box = Rect.fromCenter(center: Offset(home.x, home.y), width: w, height: h));
    }
    shotFrom = ball.clone();
    aim = atan2(hole.y - ball.y, hole.x - ball.x);
    ballSprite = SpriteComponent(sprite: frame('ball'), position: ball.clone(), size: Vector2.all(_ballR * cell * 2.6), anchor: Anchor.center);
    info = TextComponent(
        position: Vector2(area.center.dx, y0 + cell * _rows + _statusH / 2),
        anchor: Anchor.center,
        textRenderer: TextPaint(style: TextStyle(color: game.spec.color('text'), fontSize: 22)));
    addAll([ballSprite, info]);
    showInfo();
  }

  bool get ready => game.status == GfStatus.playing && !rolling && !sunk;

  void showInfo() {
    info.text = 'Stroke ${min(strokes + 1, shots)} of $shots   \u00b7   Par $par';
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (!ready) {
      press = null;
      return;
    }
    if (kind == 'down') {
      press = point.clone();
      aiming = false;
      return;
    }
    final from = press;
    if (from == null) return;
    final pullBack = from - point;
    if (kind == 'move') {
      if (pullBack.length > 12) aiming = true;
      if (aiming) {
        if (pullBack.length > 2) aim = atan2(pullBack.y, pullBack.x);
        power = min(1.0, pullBack.length / _pull);
      }
      return;
    }
    final wasAiming = aiming;
    press = null;
    aiming = false;
    if (wasAiming) {
      if (pullBack.length / _pull >= _minPower) putt();
      return;
    }
    final toPoint = point - ball;
    if (toPoint.length < cell * 0.8) {
      putt();
      return;
    }
    aim = atan2(toPoint.y, toPoint.x);
    power = (toPoint.length / (maxPutt * cell)).clamp(_minPower, 1.0);
  }

  @override
  void onAction(String action) {
    if (!ready) return;
    if (action == 'primary') {
      putt();
    } else if (action == 'up' || action == 'down') {
      power = (power + (action == 'up' ? 0.05 : -0.05)).clamp(_minPower, 1.0);
    } else {
      aim += (action == 'right' ? 1 : -1) * 0.02;
    }
  }

  void putt() {
    if (!ready || power < _minPower) return;
    final speed = speedForCells(power * maxPutt) * cell;
    shotFrom = ball.clone();
    velocity = Vector2(cos(aim), sin(aim)) * speed;
    rolling = true;
    strokes += 1;
    game.cue('putt');
    game.analytics.track('putt', {'level': game.levelIndex + 1, 'shot': strokes, 'power': (power * 100).round() / 100});
    showInfo();
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    if (ready && press == null) {
      final turn = (game.held.contains('right') ? 1 : 0) - (game.held.contains('left') ? 1 : 0);
      final push = (game.held.contains('up') ? 1 : 0) - (game.held.contains('down') ? 1 : 0);
      aim += turn * 1.6 * dt;
      power = (power + push * 0.6 * dt).clamp(_minPower, 1.0);
    }
    acc = min(acc + dt, _maxSteps * _stepS);
    while (acc >= _stepS && game.status == GfStatus.playing && !sunk) {
      acc -= _stepS;
      step();
    }
    ballSprite.position = ball.clone();
  }

  void step() {
    steps += 1;
    for (final m in movers) {
      final phase = steps * _stepS / (m.data['period_s'] as num).toDouble();
      final off = (m.data['travel'] as int) * cell * (1 - cos(2 * pi * phase)) / 2;
      final to = m.data['axis'] == 'x' ? Vector2(m.home.x + off, m.home.y) : Vector2(m.home.x, m.home.y + off);
      m.box = Rect.fromCenter(center: Offset(to.x, to.y), width: m.box.width, height: m.box.height);
      m.sprite.position = to;
    }
    if (!rolling) return;
    velocity.scale(1 - _damping);
    ball.add(velocity);
    collide();
    final speed = velocity.length;
    if (ball.distanceTo(hole) < _holeR * cell && speed < _sink * cell) {
      sink();
      return;
    }
    final cx = ((ball.x - x0) / cell).floor();
    final cy = ((ball.y - y0) / cell).floor();
    if (cx >= 0 && cx < _cols && cy >= 0 && cy < _rows && rows[cy][cx] == '~') {
      splash();
      return;
    }
    if (speed < _stop * cell) {
      velocity = Vector2.zero();
      rolling = false;
      atRest();
    }
  }

  /// Walls, moving walls and the course's edge push the ball out and reflect it; bumpers too, harder.
  void collide() {
    final r = _ballR * cell;
    final course = Rect.fromLTWH(x0, y0, cell * _cols, cell * _rows);
    if (ball.x < course.left + r || ball.x > course.right - r) {
      ball.x = ball.x.clamp(course.left + r, course.right - r);
      velocity.x = -velocity.x * _wallBounce;
      game.cue('putt');
    }
    if (ball.y < course.top + r || ball.y > course.bottom - r) {
      ball.y = ball.y.clamp(course.top + r, course.bottom - r);
      velocity.y = -velocity.y * _wallBounce;
      game.cue('putt');
    }
    for (final box in [...walls, ...movers.map((m) => m.box)]) {
      final nx = ball.x.clamp(box.left, box.right);
      final ny = ball.y.clamp(box.top, box.bottom);
      final away = Vector2(ball.x - nx, ball.y - ny);
      if (away.length2 >= r * r) continue;
      final normal = away.length2 > 0 ? away.normalized() : Vector2(0, velocity.y > 0 ? -1 : 1);
      ball.setFrom(Vector2(nx, ny) + normal * r);
      bounce(normal, _wallBounce);
      game.cue('putt');
    }
    for (final b in bumpers) {
      final away = ball - b;
      final reach = r + _bumperR * cell;
      if (away.length >= reach || away.length == 0) continue;
      final normal = away.normalized();
      ball.setFrom(b + normal * reach);
      bounce(normal, bumperBounce);
      game.cue('bounce');
    }
  }

  void bounce(Vector2 normal, double restitution) {
    final into = velocity.dot(normal);
    if (into < 0) velocity.sub(normal * ((1 + restitution) * into));
  }

  void atRest() {
    if (strokes >= shots) {
      game.failLevel('Out of shots');
      return;
    }
    aim = atan2(hole.y - ball.y, hole.x - ball.x);
    showInfo();
  }

  void splash() {
    rolling = false;
    strokes += 1;
    velocity = Vector2.zero();
    ball = shotFrom.clone();
    game.cue('splash');
    game.analytics.track('ball_splashed', {'level': game.levelIndex + 1, 'shots': strokes});
    atRest();
  }

  void sink() {
    sunk = true;
    rolling = false;
    velocity = Vector2.zero();
    ball = hole.clone();
    game.cue('sink');
    game.analytics.track('ball_sunk', {'level': game.levelIndex + 1, 'shots': strokes, 'par': par});
    final bonus = strokes == 1 ? 5 * game.spec.basePoints : 0;
    game.addScore(game.spec.basePoints * (1 + shots - strokes) + bonus);
    game.completeLevel();
  }

  @override
  void render(Canvas canvas) {
    super.render(canvas);
    if (!ready || !(params['aim_guide'] as bool)) return;
    final reach = power * maxPutt * cell;
    final dot = Paint()..color = game.spec.color('text').withOpacity(0.7);
    final dots = max(2, (reach / 22).round());
    for (var k = 1; k <= dots; k++) {
      final f = k / dots;
      canvas.drawCircle(Offset(ball.x + cos(aim) * reach * f, ball.y + sin(aim) * reach * f), 4.5 - 2 * f, dot);
    }
  }

  @override
  void respawn() {
    ball = shotFrom.clone();
    velocity = Vector2.zero();
    rolling = false;
  }
}
