// Maze for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const _dirs = {'up': Point(0, -1), 'down': Point(0, 1), 'left': Point(-1, 0), 'right': Point(1, 0)};

class _Ghost {
  _Ghost(this.at, this.sprite);
  Point<int> at;
  Point<int>? last;
  final SpriteComponent sprite;
}

class MazeMechanic extends MechanicComponent {
  MazeMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) =>
      7919 * (index + 1) + (level['grid'] as List).length * 131 + (level['grid'][0] as String).length;

  late final List<String> grid = (level['grid'] as List).cast<String>();
  late final int rows = grid.length;
  late final int cols = grid.first.length;
  late final double cell = min(area.width / cols, area.height / rows);
  late final Vector2 origin = Vector2(area.left + (area.width - cell * cols) / 2, area.top + (area.height - cell * rows) / 2);
  final Map<Point<int>, SpriteComponent> coins = {};
  final List<_Ghost> ghosts = [];
  late Point<int> start;
  late Point<int> exit;
  late Point<int> player;
  late SpriteComponent playerSprite;
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  double repeat = 0;
  double ghostClock = 0;
  double safe = 0;

  Vector2 centre(Point<int> p) => origin + Vector2((p.x + 0.5) * cell, (p.y + 0.5) * cell);
  bool wall(Point<int> p) => p.x < 0 || p.y < 0 || p.x >= cols || p.y >= rows || grid[p.y][p.x] == '#';

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(position: origin, size: Vector2(cell * cols, cell * rows),
        paint: Paint()..color = game.spec.color('surface')));
    final wallPaint = Paint()..color = game.spec.color('secondary');
    for (var y = 0; y < rows; y++) {
      for (var x = 0; x < cols; x++) {
        final p = Point(x, y);
        switch (grid[y][x]) {
          case '#':
            add(RectangleComponent(position: origin + Vector2(x * cell, y * cell), size: Vector2.all(cell), paint: wallPaint));
          case 'S':
            start = p;
          case 'E':
            exit = p;
          case 'o':
            coins[p] = SpriteComponent(sprite: frame('coin'), position: centre(p), size: Vector2.all(cell * 0.7), anchor: Anchor.center);
            add(coins[p]!);
          case 'g':
            final sprite = SpriteComponent(sprite: frame('ghost'), position: centre(p), size: Vector2.all(cell * 0.9), anchor: Anchor.center);
            ghosts.add(_Ghost(p, sprite));
            add(sprite);
        }
      }
    }
    add(SpriteComponent(sprite: frame('exit'), position: centre(exit), size: Vector2.all(cell), anchor: Anchor.center));
    player = start;
    playerSprite = SpriteComponent(sprite: frame('player'), position: centre(player), size: Vector2.all(cell * 0.8),
        anchor: Anchor.center, priority: 3);
    add(playerSprite);
  }

  @override
  void onAction(String action) {
    final d = _dirs[action];
    if (d == null) return;
    repeat = 0.125;
    tryMove(d);
  }

  void tryMove(Point<int> d) {
    final next = Point(player.x + d.x, player.y + d.y);
    if (wall(next)) return;
    player = next;
    playerSprite.position = centre(next);
    game.cue('step');
    final coin = coins.remove(next);
    if (coin != null) {
      coin.removeFromParent();
      game.cue('coin');
      game.addScore(game.spec.basePoints * 5);
      game.analytics.track('coin_collected', {'level': game.levelIndex + 1, 'left': coins.length});
    }
    if (next == exit) {
      game.cue('exit');
      game.completeLevel();
    }
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    repeat -= dt;
    safe -= dt;
    for (final entry in _dirs.entries) {
      if (game.held.contains(entry.key) && repeat <= 0) {
        repeat = 0.125;
        tryMove(entry.value);
      }
    }
    ghostClock += dt;
    final stepTime = 1 / (level['ghost_speed'] as num).toDouble();
    while (ghostClock >= stepTime) {
      ghostClock -= stepTime;
      for (final g in ghosts) {
        final options = [
          for (final d in _dirs.values)
            if (!wall(Point(g.at.x + d.x, g.at.y + d.y)) && Point(g.at.x + d.x, g.at.y + d.y) != g.last)
              Point(g.at.x + d.x, g.at.y + d.y),
        ];
        if (options.isEmpty && g.last != null) options.add(g.last!);
        if (options.isEmpty) continue;
        g.last = g.at;
        g.at = options[(rand() * options.length).floor()];
        g.sprite.position = centre(g.at);
      }
    }
    if (safe <= 0 && ghosts.any((g) => g.at == player)) {
      game.cue('ghost');
      game.analytics.track('caught_by_ghost', {'level': game.levelIndex + 1});
      if (game.loseLife('ghost')) respawn();
    }
  }

  @override
  void respawn() {
    player = start;
    playerSprite.position = centre(start);
    safe = 1.5;
  }
}
