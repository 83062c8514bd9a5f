// Sokoban for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// Push every crate onto a target within the move limit; crates cannot be pulled.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flame/effects.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const _dirs = {'up': Point(0, -1), 'down': Point(0, 1), 'left': Point(-1, 0), 'right': Point(1, 0)};
const double _band = 64;

class _Crate {
  _Crate(this.at, this.sprite);
  Point<int> at;
  final SpriteComponent sprite;
}

class _Step {
  _Step(this.player, this.crate, this.crateFrom);
  final Point<int> player;
  final _Crate? crate;
  final Point<int>? crateFrom;
}

class SokobanMechanic extends MechanicComponent {
  SokobanMechanic({required super.level, required super.params, required super.area});

  late final List<String> grid = (level['grid'] as List).cast<String>();
  late final int rows = grid.length;
  late final int cols = grid.first.length;
  late final int moveLimit = level['move_limit'] as int;
  late final int par = (level['par'] ?? 0) as int;
  late final double cell = min(72.0, min(area.width / (cols + 2), (area.height - _band) / (rows + 2)));
  late final Vector2 origin = Vector2(area.left + (area.width - cell * (cols + 2)) / 2 + cell,
      area.top + _band + (area.height - _band - cell * (rows + 2)) / 2 + cell);
  final Set<Point<int>> goals = {};
  final List<_Crate> crates = [];
  final List<_Step> history = [];
  late Point<int> player;
  late SpriteComponent playerSprite;
  late TextComponent status;
  late Rect undoBox;
  int moves = 0;
  int bestPlaced = 0;
  double repeat = 0;

  Vector2 centre(Point<int> p) => origin + Vector2((p.x + 0.5) * cell, (p.y + 0.5) * cell);
  bool wall(Point<int> p) => p.x < 0 || p.y < 0 || p.x >= cols || p.y >= rows || grid[p.y][p.x] == '#';
  _Crate? crateAt(Point<int> p) {
    for (final crate in crates) {
      if (crate.at == p) return crate;
    }
    return null;
  }

  int get placed => crates.where((c) => goals.contains(c.at)).length;

  SpriteComponent _sprite(String name, Point<int> p, double scale, {int priority = 0}) => SpriteComponent(
      sprite: frame(name), position: centre(p), size: Vector2.all(cell * scale), anchor: Anchor.center, priority: priority);

  @override
  Future<void> onLoad() async {
    for (var y = -1; y <= rows; y++) {
      for (var x = -1; x <= cols; x++) {
        final p = Point(x, y);
        if (wall(p)) {
          add(_sprite('wall', p, 1));
          continue;
        }
        add(_sprite('floor', p, 1));
        final ch = grid[y][x];
        if (ch == '.' || ch == '*' || ch == '+') {
          goals.add(p);
          add(_sprite('target', p, 0.8, priority: 1));
        }
        if (ch == '@' || ch == '+') player = p;
      }
    }
    for (var y = 0; y < rows; y++) {
      for (var x = 0; x < cols; x++) {
        final p = Point(x, y);
        if (grid[y][x] == r'$' || grid[y][x] == '*') {
          final crate = _Crate(p, _sprite(goals.contains(p) ? 'crate_done' : 'crate', p, 0.86, priority: 2));
          crates.add(crate);
          add(crate.sprite);
        }
      }
    }
    playerSprite = _sprite('player', player, 0.8, priority: 3);
    add(playerSprite);
    bestPlaced = placed;
    status = TextComponent(
      position: Vector2(area.left + 12, area.top + _band / 2),
      anchor: Anchor.centerLeft,
      textRenderer: TextPaint(style: TextStyle(color: game.spec.color('text'), fontSize: 22)),
    );
    add(status);
    undoBox = Rect.fromCenter(center: Offset(area.right - 70, area.top + _band / 2), width: 120, height: 48);
    if (params['undo'] == true) {
      add(SpriteComponent(sprite: frame('undo'), position: Vector2(undoBox.left, undoBox.top), size: Vector2(120, 48)));
      add(TextComponent(text: 'Undo', position: Vector2(undoBox.center.dx, undoBox.center.dy), anchor: Anchor.center));
    }
    refresh();
  }

  void refresh() => status.text = 'Moves $moves / $moveLimit    Crates $placed / ${crates.length}';

  @override
  void onAction(String action) {
    if (action == 'primary') {
      undo();
      return;
    }
    final d = _dirs[action];
    if (d == null) return;
    repeat = 0.17;
    step(d);
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down' && undoBox.contains(Offset(point.x, point.y))) undo();
  }

  void step(Point<int> d) {
    if (moves >= moveLimit || game.status != GfStatus.playing) return;
    final next = Point(player.x + d.x, player.y + d.y);
    if (wall(next)) {
      game.cue('blocked');
      return;
    }
    final crate = crateAt(next);
    final beyond = Point(next.x + d.x, next.y + d.y);
    if (crate != null && (wall(beyond) || crateAt(beyond) != null)) {
      game.cue('blocked');
      return;
    }
    history.add(_Step(player, crate, crate?.at));
    player = next;
    moves += 1;
    playerSprite.add(MoveEffect.to(centre(next), EffectController(duration: 0.09)));
    if (crate != null) {
      crate.at = beyond;
      place(crate);
      game.cue('push');
      if (goals.contains(beyond)) {
        game.cue('placed');
        game.analytics.track('crate_placed', {'level': game.levelIndex + 1, 'placed': placed, 'total': crates.length});
        if (placed > bestPlaced) {
          bestPlaced = placed;
          game.addScore(game.spec.basePoints * 5);
        }
      } else if (params['deadlock_hints'] == true && cornered(beyond)) {
        game.cue('stuck');
        game.analytics.track('crate_stuck', {'level': game.levelIndex + 1});
      }
    } else {
      game.cue('step');
    }
    refresh();
    if (placed == crates.length) {
      game.addScore((moveLimit - moves) * max(1, game.spec.basePoints ~/ 2));
      game.completeLevel();
    } else if (moves >= moveLimit) {
      game.analytics.track('out_of_moves', {'level': game.levelIndex + 1, 'placed': placed});
      game.failLevel('Out of moves!');
    }
  }

  /// A crate off target against two walls at a corner can never move again.
  bool cornered(Point<int> at) {
    final vertical = wall(Point(at.x, at.y - 1)) || wall(Point(at.x, at.y + 1));
    final horizontal = wall(Point(at.x - 1, at.y)) || wall(Point(at.x + 1, at.y));
    return vertical && horizontal;
  }

  void place(_Crate crate) {
    crate.sprite.sprite = frame(goals.contains(crate.at) ? 'crate_done' : 'crate');
    crate.sprite.add(MoveEffect.to(centre(crate.at), EffectController(duration: 0.09)));
  }

  /// Undo rewinds the board, not the count of moves: each step still counts against the limit.
  void undo() {
    if (params['undo'] != true || history.isEmpty || game.status != GfStatus.playing) return;
    final last = history.removeLast();
    player = last.player;
    playerSprite.position = centre(player);
    if (last.crate != null) {
      last.crate!.at = last.crateFrom!;
      place(last.crate!);
    }
    game.cue('step');
    game.analytics.track('undo_used', {'level': game.levelIndex + 1, 'moves': moves});
    refresh();
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    repeat -= dt;
    for (final entry in _dirs.entries) {
      if (game.held.contains(entry.key) && repeat <= 0) {
        repeat = 0.17;
        step(entry.value);
      }
    }
  }
}
