// Snake for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const _dirs = {'up': Point(0, -1), 'down': Point(0, 1), 'left': Point(-1, 0), 'right': Point(1, 0)};
const _opposite = {'up': 'down', 'down': 'up', 'left': 'right', 'right': 'left'};
const double _bonusSeconds = 5;

class SnakeMechanic extends MechanicComponent {
  SnakeMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) =>
      1013 * (index + 1) + (level['width'] as int) * 31 + (level['height'] as int);

  late int width = level['width'] as int;
  late int height = level['height'] as int;
  late double cell = min(area.width / width, area.height / height);
  late Vector2 origin = Vector2(area.left + (area.width - cell * width) / 2, area.top + (area.height - cell * height) / 2);
  late final Set<Point<int>> walls = {
    for (final w in level['walls'] as List) Point((w as List)[0] as int, w[1] as int),
  };
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  List<Point<int>> body = [];
  final List<SpriteComponent> segments = [];
  SpriteComponent? foodSprite;
  Point<int>? food;
  SpriteComponent? bonusSprite;
  Point<int>? bonus;
  double bonusLeft = 0;
  String dir = 'right';
  final List<String> queue = [];
  double acc = 0;
  int grow = 0;
  int eaten = 0;
  late double speed = (level['speed'] as num).toDouble();

  bool get wrap => params['wrap_walls'] as bool;

  Vector2 centre(Point<int> p) => origin + Vector2((p.x + 0.5) * cell, (p.y + 0.5) * cell);

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
      position: origin,
      size: Vector2(cell * width, cell * height),
      paint: Paint()..color = game.spec.color('surface').withValues(alpha: 0.85),
    ));
    for (final w in walls) {
      add(SpriteComponent(sprite: frame('wall'), position: centre(w), size: Vector2.all(cell), anchor: Anchor.center));
    }
    reset();
    placeFood();
  }

  void reset() {
    final start = level['start'] as List;
    body = [for (var i = 0; i < 3; i++) Point(((start[0] as int) - i + width) % width, start[1] as int)];
    dir = 'right';
    queue.clear();
    grow = 0;
    for (final s in segments) {
      s.removeFromParent();
    }
    segments.clear();
    render();
  }

  void render() {
    while (segments.length < body.length) {
      final s = SpriteComponent(
        sprite: frame(segments.isEmpty ? 'head' : 'body'),
        size: Vector2.all(cell * 0.92),
        anchor: Anchor.center,
        priority: 2,
      );
      segments.add(s);
      add(s);
    }
    for (var i = 0; i < body.length; i++) {
      segments[i].position = centre(body[i]);
    }
  }

  /// A free cell drawn from the level's stream, row by row as the scene lists them (null: none left).
  Point<int>? freeCell() {
    final free = <Point<int>>[
      for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
          if (!walls.contains(Point(x, y)) && !body.contains(Point(x, y)) && Point(x, y) != food && Point(x, y) != bonus)
            Point(x, y),
    ];
    return free.isEmpty ? null : free[(rand() * free.length).floor()];
  }

  void placeFood() {
    food = freeCell();
    foodSprite?.removeFromParent();
    foodSprite = null;
    if (food == null) return;
    foodSprite = SpriteComponent(sprite: frame('food'), position: centre(food!), size: Vector2.all(cell * 0.8), anchor: Anchor.center);
    add(foodSprite!);
  }

  /// Sometimes a bonus appears for a few seconds: the same draws as the scene's maybeBonus.
  void maybeBonus() {
    if (params['bonus_food'] != true || bonus != null || rand() > 0.3) return;
    bonus = freeCell();
    if (bonus == null) return;
    bonusSprite = SpriteComponent(sprite: frame('bonus'), position: centre(bonus!), size: Vector2.all(cell * 0.9), anchor: Anchor.center);
    add(bonusSprite!);
    bonusLeft = _bonusSeconds;
  }

  void clearBonus() {
    bonusSprite?.removeFromParent();
    bonusSprite = null;
    bonus = null;
  }

  @override
  void onAction(String action) {
    if (!_dirs.containsKey(action)) return;
    final last = queue.isNotEmpty ? queue.last : dir;
    if (action != last && action != _opposite[last] && queue.length < 3) queue.add(action);
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    if (bonus != null) {
      bonusLeft -= dt;
      if (bonusLeft <= 0) clearBonus();
    }
    acc += dt;
    final stepTime = 1 / speed;
    while (acc >= stepTime) {
      acc -= stepTime;
      if (!step()) return;
    }
  }

  bool step() {
    if (queue.isNotEmpty) dir = queue.removeAt(0);
    final d = _dirs[dir]!;
    var next = Point(body.first.x + d.x, body.first.y + d.y);
    if (wrap) next = Point((next.x + width) % width, (next.y + height) % height);
    final outside = next.x < 0 || next.y < 0 || next.x >= width || next.y >= height;
    final intoTail = grow == 0 && next == body.last;
    if (outside || walls.contains(next) || (body.contains(next) && !intoTail)) {
      game.cue('crash');
      final cause = outside || walls.contains(next) ? 'wall' : 'tail';
      game.analytics.track('snake_crashed', {'length': body.length, 'level': game.levelIndex + 1, 'cause': cause});
      if (game.loseLife(cause == 'wall' ? 'You hit a wall' : 'You bit your tail')) reset();
      return false;
    }
    body.insert(0, next);
    if (grow > 0) {
      grow -= 1;
    } else {
      body.removeLast();
    }
    if (next == food) {
      eaten += 1;
      grow += params['grow_by'] as int;
      speed = min(25.0, speed * (1 + (params['speed_up'] as num).toDouble()));
      game.cue('eat');
      game.addScore(game.spec.basePoints);
      game.analytics.track('food_eaten', {'length': body.length + grow, 'level': game.levelIndex + 1, 'bonus': false});
      render();
      if (eaten >= (level['target'] as int)) {
        game.completeLevel();
        return false;
      }
      placeFood();
      maybeBonus();
    } else if (next == bonus) {
      clearBonus();
      game.cue('bonus');
      game.addScore(game.spec.basePoints * 5);
      game.analytics.track('food_eaten', {'length': body.length, 'level': game.levelIndex + 1, 'bonus': true});
    }
    render();
    return true;
  }

  @override
  void respawn() => reset();
}
