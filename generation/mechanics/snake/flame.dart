// Snake for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const _dirs = {'up': Point(0, -1), 'down': Point(0, 1), 'left': Point(-1, 0), 'right': Point(1, 0)};
const _opposite = {'up': 'down', 'down': 'up', 'left': 'right', 'right': 'left'};

class SnakeMechanic extends MechanicComponent {
  SnakeMechanic({required super.level, required super.params, required super.area});

  late int width = level['width'] as int;
  late int height = level['height'] as int;
  late double cell = min(area.width / width, area.height / height);
  late Vector2 origin = Vector2(area.left + (area.width - cell * width) / 2, area.top + (area.height - cell * height) / 2);
  late final Set<Point<int>> walls = {
    for (final w in level['walls'] as List) Point((w as List)[0] as int, w[1] as int),
  };
  late final Random rand = Random(width * 31 + height);
  List<Point<int>> body = [];
  final List<SpriteComponent> segments = [];
  SpriteComponent? foodSprite;
  Point<int>? food;
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

  void placeFood() {
    final free = <Point<int>>[
      for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
          if (!walls.contains(Point(x, y)) && !body.contains(Point(x, y))) Point(x, y),
    ];
    food = free[rand.nextInt(free.length)];
    foodSprite?.removeFromParent();
    foodSprite = SpriteComponent(sprite: frame('food'), position: centre(food!), size: Vector2.all(cell * 0.8), anchor: Anchor.center);
    add(foodSprite!);
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
      game.analytics.track('snake_crashed', {'length': body.length, 'level': game.levelIndex + 1});
      if (game.loseLife('crash')) reset();
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
      speed *= 1 + (params['speed_up'] as num).toDouble();
      game.cue('eat');
      game.addScore(game.spec.basePoints);
      game.analytics.track('food_eaten', {'length': body.length + grow, 'level': game.levelIndex + 1});
      render();
      if (eaten >= (level['target'] as int)) {
        game.completeLevel();
        return false;
      }
      placeFood();
    }
    render();
    return true;
  }

  @override
  void respawn() => reset();
}
