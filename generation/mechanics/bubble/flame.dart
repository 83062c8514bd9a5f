// Bubble shooter for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): its validator plays the same rules.
const int _cols = 9;
const double _cell = 54;
const double _radius = 25;
const int _loseRow = 12;
const double _fieldW = 516;
const double _fieldH = 820;
const double _x0 = 15; // (_fieldW - _cols * _cell) ~/ 2
const double _shooterX = _fieldW / 2;
const double _shooterY = _fieldH - 60;
const double _step = 8;
const double _touch = 2 * _radius * 0.85;
const double _minAim = 0.15;
const double _size = 50;

class BubbleMechanic extends MechanicComponent {
  BubbleMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late final double fx = area.left;
  late final double fy = area.top + max(0, (area.height - _fieldH) / 2);
  late final double shotSpeed = (params['shot_speed'] as num).toDouble();
  final List<List<int>> grid = [];
  final List<List<SpriteComponent?>> sprites = [];
  late int current;
  late int upcoming;
  late int shotsLeft = level['shots'] as int;
  late SpriteComponent loaded;
  double aim = pi / 2;
  bool pressed = false;
  SpriteComponent? flying;
  Vector2 pos = Vector2.zero();
  Vector2 dir = Vector2.zero();
  int flyingColour = 0;

  Vector2 cellPos(int r, int c) => Vector2(fx + _x0 + (c + 0.5) * _cell, fy + (r + 0.5) * _cell);

  SpriteComponent bubbleAt(Vector2 p, int colour, double size) =>
      SpriteComponent(sprite: frame('bubble$colour'), position: p, size: Vector2.all(size), anchor: Anchor.center);

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(fx + _x0 - 6, fy - 6),
        size: Vector2(_cols * _cell + 12, _fieldH + 6),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.85)));
    add(RectangleComponent(
        position: Vector2(fx + _x0, fy + _loseRow * _cell - 1),
        size: Vector2(_cols * _cell, 3),
        paint: Paint()..color = game.spec.color('danger')));
    final rows = (level['rows'] as List).cast<String>();
    for (var r = 0; r <= _loseRow; r++) {
      grid.add([]);
      sprites.add([]);
      for (var c = 0; c < _cols; c++) {
        final ch = r < rows.length ? rows[r][c] : '.';
        final v = ch == '.' ? -1 : int.parse(ch);
        grid[r].add(v);
        final s = v >= 0 ? bubbleAt(cellPos(r, c), v, _size) : null;
        sprites[r].add(s);
        if (s != null) add(s);
      }
    }
    current = nextColour();
    upcoming = nextColour();
    loaded = bubbleAt(Vector2(fx + _shooterX, fy + _shooterY), current, _size);
    add(loaded);
  }

  List<int> coloursLeft() {
    final left = <int>{};
    for (final row in grid) {
      for (final v in row) {
        if (v >= 0) left.add(v);
      }
    }
    return left.toList()..sort();
  }

  /// One draw: a colour still on the board, as bubble.py's `next_colour` and the scene's.
  int nextColour() {
    var left = coloursLeft();
    if (left.isEmpty) left = [0];
    return left[(rand() * left.length).floor()];
  }

  void aimAt(Vector2 p) {
    final dx = p.x - (fx + _shooterX);
    final dy = fy + _shooterY - p.y;
    aim = atan2(max(dy, 1), dx).clamp(_minAim, pi - _minAim).toDouble();
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down') pressed = true;
    aimAt(point);
    if (kind == 'up' && pressed) {
      pressed = false;
      fire();
    }
  }

  @override
  void onAction(String action) {
    if (action == 'primary' || action == 'up') fire();
  }

  void fire() {
    if (flying != null || shotsLeft <= 0 || game.status != GfStatus.playing) return;
    shotsLeft -= 1;
    flyingColour = current;
    pos = Vector2(_shooterX, _shooterY);
    dir = Vector2(cos(aim), -sin(aim));
    flying = bubbleAt(Vector2(fx + pos.x, fy + pos.y), current, _size);
    add(flying!);
    loaded.opacity = 0;
    game.cue('fire');
    game.analytics.track('bubble_fired', {'level': game.levelIndex + 1, 'shots_left': shotsLeft});
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    final f = flying;
    if (f == null) {
      if (game.held.contains('left') || game.held.contains('right')) {
        aim = (aim + (game.held.contains('left') ? 1 : -1) * 1.6 * dt).clamp(_minAim, pi - _minAim).toDouble();
      }
      return;
    }
    final steps = max(1, (shotSpeed * dt / _step).round());
    for (var i = 0; i < steps; i++) {
      if (stepFlight()) return;
    }
    f.position = Vector2(fx + pos.x, fy + pos.y);
  }

  /// One step of _step pixels, as bubble.py's `fly`; true once the bubble has stuck.
  bool stepFlight() {
    pos += dir * _step;
    const left = _x0 + _radius;
    const right = _x0 + _cols * _cell - _radius;
    if (pos.x < left) {
      pos.x = left;
      dir.x = dir.x.abs();
    } else if (pos.x > right) {
      pos.x = right;
      dir.x = -dir.x.abs();
    }
    var touching = pos.y - _radius <= 0;
    for (var r = 0; r <= _loseRow && !touching; r++) {
      for (var c = 0; c < _cols; c++) {
        if (grid[r][c] < 0) continue;
        final dx = _x0 + (c + 0.5) * _cell - pos.x;
        final dy = (r + 0.5) * _cell - pos.y;
        if (dx * dx + dy * dy < _touch * _touch) {
          touching = true;
          break;
        }
      }
    }
    if (!touching) return false;
    stick();
    return true;
  }

  List<List<int>> neighbours(int r, int c) => [
        [r - 1, c],
        [r + 1, c],
        [r, c - 1],
        [r, c + 1],
      ].where((n) => n[0] >= 0 && n[0] <= _loseRow && n[1] >= 0 && n[1] < _cols).toList();

  Set<int> flood(List<List<int>> start, bool Function(int r, int c) test) {
    final seen = start.map((s) => s[0] * _cols + s[1]).toSet();
    final queue = [...start];
    while (queue.isNotEmpty) {
      final cell = queue.removeAt(0);
      for (final n in neighbours(cell[0], cell[1])) {
        final key = n[0] * _cols + n[1];
        if (!seen.contains(key) && test(n[0], n[1])) {
          seen.add(key);
          queue.add(n);
        }
      }
    }
    return seen;
  }

  void stick() {
    var x = pos.x;
    var y = pos.y;
    var row = 0;
    var col = 0;
    for (var k = 0; k < 40; k++) {
      col = ((x - _x0) / _cell).floor().clamp(0, _cols - 1);
      row = (y / _cell).floor().clamp(0, _loseRow);
      if (grid[row][col] < 0) break;
      x -= dir.x * 4;
      y -= dir.y * 4;
    }
    flying?.removeFromParent();
    flying = null;
    final colour = flyingColour;
    grid[row][col] = colour;
    sprites[row][col] = bubbleAt(cellPos(row, col), colour, _size);
    add(sprites[row][col]!);
    final same = flood([
      [row, col]
    ], (r, c) => grid[r][c] == colour);
    if (same.length >= 3) {
      for (final key in same) {
        removeBubble(key ~/ _cols, key % _cols);
      }
      final roots = [
        for (var c = 0; c < _cols; c++)
          if (grid[0][c] >= 0) [0, c]
      ];
      final held = flood(roots, (r, c) => grid[r][c] >= 0);
      var dropped = 0;
      for (var r = 0; r <= _loseRow; r++) {
        for (var c = 0; c < _cols; c++) {
          if (grid[r][c] >= 0 && !held.contains(r * _cols + c)) {
            removeBubble(r, c);
            dropped += 1;
          }
        }
      }
      game.cue('pop');
      game.addScore(game.spec.basePoints * (same.length + 2 * dropped));
      game.analytics.track('bubbles_popped', {'level': game.levelIndex + 1, 'popped': same.length, 'dropped': dropped});
    } else {
      game.cue('stick');
    }
    if (coloursLeft().isEmpty) {
      game.completeLevel();
      return;
    }
    if (row >= _loseRow) {
      game.failLevel('The bubbles reached the line');
      return;
    }
    if (shotsLeft <= 0) {
      game.failLevel('Out of shots');
      return;
    }
    current = upcoming;
    upcoming = nextColour();
    if (!coloursLeft().contains(current)) current = nextColour();
    loaded
      ..sprite = frame('bubble$current')
      ..opacity = 1;
  }

  void removeBubble(int r, int c) {
    grid[r][c] = -1;
    sprites[r][c]?.removeFromParent();
    sprites[r][c] = null;
  }
}
