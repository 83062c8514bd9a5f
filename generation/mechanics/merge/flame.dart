// Merge for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// Slide every tile at once; equal tiles merge. New tiles fall where gfRng(level seed) says,
// exactly as on the web (__init__.py beside it proves levels with the same rule).
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const int _stone = -1;
const double _band = 70;
const double _gap = 10;

/// One line slid towards its start: stones split it; equal neighbours merge once, nearest first.
(List<int>, int) slideLine(List<int> line) {
  final out = List<int>.filled(line.length, 0);
  var points = 0;
  var start = 0;
  for (var end = 0; end <= line.length; end++) {
    if (end < line.length && line[end] != _stone) continue;
    final tiles = [for (var i = start; i < end; i++) if (line[i] > 0) line[i]];
    var write = start;
    var i = 0;
    while (i < tiles.length) {
      if (i + 1 < tiles.length && tiles[i] == tiles[i + 1]) {
        out[write++] = tiles[i] * 2;
        points += tiles[i] * 2;
        i += 2;
      } else {
        out[write++] = tiles[i++];
      }
    }
    if (end < line.length) out[end] = _stone;
    start = end + 1;
  }
  return (out, points);
}

class MergeMechanic extends MechanicComponent {
  MergeMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final int n = level['size'] as int;
  late final int target = level['target'] as int;
  late final int? moveLimit = level['move_limit'] as int?;
  late final double fourChance = (params['four_chance'] as num).toDouble();
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late List<List<int>> board = [for (final row in level['board'] as List) (row as List).cast<int>().toList()];
  late final double cell = (min(area.width - 20, area.height - _band - 20) - _gap * (n + 1)) / n;
  late final Vector2 origin = Vector2(area.left + (area.width - (cell * n + _gap * (n + 1))) / 2, area.top + _band + 10);
  final List<PositionComponent> tiles = [];
  late TextComponent status;
  int moves = 0;

  Vector2 corner(int r, int c) => origin + Vector2(_gap + c * (cell + _gap), _gap + r * (cell + _gap));
  int get largest => board.expand((row) => row).fold<int>(0, (a, b) => max(a, b));

  @override
  Future<void> onLoad() async {
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        add(SpriteComponent(sprite: frame(board[r][c] == _stone ? 'stone' : 'cell'), position: corner(r, c),
            size: Vector2.all(cell)));
      }
    }
    status = TextComponent(
      position: Vector2(area.left + 20, area.top + _band / 2),
      anchor: Anchor.centerLeft,
      textRenderer: TextPaint(style: TextStyle(color: game.spec.color('text'), fontSize: 24)),
    );
    add(status);
    redraw();
  }

  /// Tiles are redrawn after every move: a coloured frame (tile0..tile5) and the number.
  void redraw() {
    for (final tile in tiles) {
      tile.removeFromParent();
    }
    tiles.clear();
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        final v = board[r][c];
        if (v <= 0) continue;
        final rank = (log(v) / ln2).round() - 1;
        final digits = '$v'.length;
        final tile = PositionComponent(position: corner(r, c), size: Vector2.all(cell), priority: 2)
          ..add(SpriteComponent(sprite: frame('tile${rank % 6}'), size: Vector2.all(cell)))
          ..add(TextComponent(
            text: '$v',
            position: Vector2.all(cell / 2),
            anchor: Anchor.center,
            textRenderer: TextPaint(
                style: TextStyle(
                    color: Colors.white,
                    fontWeight: FontWeight.bold,
                    fontSize: cell * (digits <= 2 ? 0.42 : (digits == 3 ? 0.34 : 0.27)))),
          ));
        tiles.add(tile);
        add(tile);
      }
    }
    final left = moveLimit == null ? '' : '    Moves left ${moveLimit! - moves}';
    status.text = 'Make $target    Best $largest$left';
  }

  List<List<Point<int>>> lines(String dir) => [
        for (var i = 0; i < n; i++)
          [
            for (var j = 0; j < n; j++)
              switch (dir) {
                'left' => Point(i, j),
                'right' => Point(i, n - 1 - j),
                'up' => Point(j, i),
                _ => Point(n - 1 - j, i),
              },
          ],
      ];

  (List<List<int>>, int, bool) slide(String dir) {
    final next = [for (final row in board) [...row]];
    var points = 0;
    var changed = false;
    for (final line in lines(dir)) {
      final values = [for (final p in line) board[p.x][p.y]];
      final (slid, gained) = slideLine(values);
      points += gained;
      for (var k = 0; k < line.length; k++) {
        next[line[k].x][line[k].y] = slid[k];
        if (slid[k] != values[k]) changed = true;
      }
    }
    return (next, points, changed);
  }

  @override
  void onAction(String action) {
    if (!const ['up', 'down', 'left', 'right'].contains(action) || game.status != GfStatus.playing) return;
    final best = largest;
    final (next, points, changed) = slide(action);
    if (!changed) {
      game.cue('blocked');
      return;
    }
    board = next;
    moves += 1;
    final level = game.levelIndex + 1;
    if (points > 0) {
      game.addScore(points);
      game.cue(largest >= 128 && largest > best ? 'big_merge' : 'merge');
      game.analytics.track('tiles_merged', {'level': level, 'largest': largest});
    } else {
      game.cue('slide');
    }
    if (largest > best && largest >= 16) game.analytics.track('new_best_tile', {'level': level, 'value': largest});
    if (largest >= target) {
      if (moveLimit != null) game.addScore((moveLimit! - moves) * game.spec.basePoints);
      redraw();
      game.completeLevel();
      return;
    }
    spawn();
    redraw();
    final stuck = ['up', 'down', 'left', 'right'].every((d) => !slide(d).$3);
    if (stuck) {
      game.analytics.track('board_full', {'level': level, 'largest': largest});
      game.failLevel('No moves left!');
    } else if (moveLimit != null && moves >= moveLimit!) {
      game.analytics.track('out_of_moves', {'level': level, 'largest': largest});
      game.failLevel('Out of moves!');
    }
  }

  /// A new 2 (or 4) on an empty cell: row-major empties, one draw for the cell, one for the value.
  void spawn() {
    final empties = [
      for (var r = 0; r < n; r++)
        for (var c = 0; c < n; c++)
          if (board[r][c] == 0) Point(r, c),
    ];
    if (empties.isEmpty) return;
    final cell = empties[(rand() * empties.length).floor()];
    board[cell.x][cell.y] = rand() < fourChance ? 4 : 2;
  }
}
