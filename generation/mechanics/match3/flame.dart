// Match-3 for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flame/effects.dart';

import '../gf_runtime.dart';

class Match3Mechanic extends MechanicComponent {
  Match3Mechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final int rows = level['rows'] as int;
  late final int cols = level['cols'] as int;
  late final int colors = level['colors'] as int;
  late final double cell = min(area.width / cols, (area.height - 70) / rows);
  late final Vector2 origin = Vector2(area.left + (area.width - cell * cols) / 2, area.top + 70);
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late List<List<int>> board = [
    for (final row in (level['board'] as List).cast<String>()) [for (final ch in row.split('')) int.parse(ch)],
  ];
  late List<List<SpriteComponent?>> gems;
  late int moves = level['moves'] as int;
  int cleared = 0;
  Point<int>? selected;
  bool busy = false;

  Vector2 centre(int r, int c) => origin + Vector2((c + 0.5) * cell, (r + 0.5) * cell);

  SpriteComponent gem(int r, int c) => SpriteComponent(
      sprite: frame('gem${board[r][c]}'), position: centre(r, c), size: Vector2.all(cell * 0.82), anchor: Anchor.center);

  @override
  Future<void> onLoad() async {
    gems = [
      for (var r = 0; r < rows; r++) [for (var c = 0; c < cols; c++) gem(r, c)],
    ];
    for (final row in gems) {
      for (final g in row) {
        add(g!);
      }
    }
  }

  /// The cells in lines of three or more, on the board or on another one.
  Set<Point<int>> matches([List<List<int>>? on]) {
    final b = on ?? board;
    final found = <Point<int>>{};
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols - 2; c++) {
        final v = b[r][c];
        if (v >= 0 && v == b[r][c + 1] && v == b[r][c + 2]) found.addAll([Point(r, c), Point(r, c + 1), Point(r, c + 2)]);
      }
    }
    for (var c = 0; c < cols; c++) {
      for (var r = 0; r < rows - 2; r++) {
        final v = b[r][c];
        if (v >= 0 && v == b[r + 1][c] && v == b[r + 2][c]) found.addAll([Point(r, c), Point(r + 1, c), Point(r + 2, c)]);
      }
    }
    return found;
  }

  /// Whether swapping two neighbours makes a line (the scene's possibleSwap).
  bool hasSwap(List<List<int>> b) {
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols; c++) {
        for (final (r2, c2) in [(r, c + 1), (r + 1, c)]) {
          if (r2 >= rows || c2 >= cols) continue;
          final t = b[r][c];
          b[r][c] = b[r2][c2];
          b[r2][c2] = t;
          final ok = matches(b).isNotEmpty;
          b[r2][c2] = b[r][c];
          b[r][c] = t;
          if (ok) return true;
        }
      }
    }
    return false;
  }

  /// No swap left: shuffle the gems as the scene does, with the same draws in the same order.
  void reshuffle() {
    final kinds = [for (final row in board) ...row];
    var shuffled = <List<int>>[];
    for (var attempt = 0; attempt < 200; attempt++) {
      for (var i = kinds.length - 1; i > 0; i--) {
        final j = (rand() * (i + 1)).floor();
        final t = kinds[i];
        kinds[i] = kinds[j];
        kinds[j] = t;
      }
      shuffled = [for (var r = 0; r < rows; r++) kinds.sublist(r * cols, (r + 1) * cols)];
      if (matches(shuffled).isEmpty && hasSwap(shuffled)) break;
      if (attempt == 199) {
        for (final row in shuffled) {
          for (var c = 0; c < cols; c++) {
            row[c] = (rand() * colors).floor();
          }
        }
      }
    }
    board = shuffled;
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols; c++) {
        gems[r][c]?.removeFromParent();
        final g = gem(r, c);
        gems[r][c] = g;
        add(g);
      }
    }
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind != 'down' || busy || game.status != GfStatus.playing) return;
    final c = ((point.x - origin.x) / cell).floor();
    final r = ((point.y - origin.y) / cell).floor();
    if (r < 0 || c < 0 || r >= rows || c >= cols) return;
    final here = Point(r, c);
    final from = selected;
    if (from == null) {
      selected = here;
    } else if ((from.x - r).abs() + (from.y - c).abs() == 1) {
      selected = null;
      swap(from, here);
    } else {
      selected = here == from ? null : here;
    }
  }

  void exchange(Point<int> a, Point<int> b) {
    final v = board[a.x][a.y];
    board[a.x][a.y] = board[b.x][b.y];
    board[b.x][b.y] = v;
    final g = gems[a.x][a.y];
    gems[a.x][a.y] = gems[b.x][b.y];
    gems[b.x][b.y] = g;
    gems[a.x][a.y]!.add(MoveEffect.to(centre(a.x, a.y), EffectController(duration: 0.13)));
    gems[b.x][b.y]!.add(MoveEffect.to(centre(b.x, b.y), EffectController(duration: 0.13)));
  }

  Future<void> swap(Point<int> a, Point<int> b) async {
    busy = true;
    game.cue('swap');
    exchange(a, b);
    await Future<void>.delayed(const Duration(milliseconds: 150));
    if (matches().isEmpty) {
      game.cue('invalid');
      exchange(a, b);
      busy = false;
      return;
    }
    moves -= 1;
    var combo = 1;
    for (var found = matches(); found.isNotEmpty; found = matches()) {
      cleared += found.length;
      final factor = combo > 1 && params['cascade_bonus'] == true ? 2 : 1;
      game.addScore(found.length * game.spec.basePoints * factor);
      game.cue(combo > 1 ? 'cascade' : 'match');
      game.analytics.track('match_made', {'size': found.length, 'combo': combo, 'level': game.levelIndex + 1});
      for (final p in found) {
        gems[p.x][p.y]?.removeFromParent();
        gems[p.x][p.y] = null;
        board[p.x][p.y] = -1;
      }
      collapse();
      await Future<void>.delayed(const Duration(milliseconds: 220));
      combo += 1;
    }
    busy = false;
    if (cleared >= (level['target'] as int)) {
      game.completeLevel();
    } else if (moves <= 0) {
      game.analytics.track('out_of_moves', {'level': game.levelIndex + 1, 'cleared': cleared});
      game.failLevel('Out of moves!');
    } else if (!hasSwap(board)) {
      reshuffle();
    }
  }

  void collapse() {
    for (var c = 0; c < cols; c++) {
      var write = rows - 1;
      for (var r = rows - 1; r >= 0; r--) {
        if (board[r][c] < 0) continue;
        if (write != r) {
          board[write][c] = board[r][c];
          gems[write][c] = gems[r][c];
          board[r][c] = -1;
          gems[r][c] = null;
          gems[write][c]!.add(MoveEffect.to(centre(write, c), EffectController(duration: 0.19)));
        }
        write -= 1;
      }
      for (var k = write; k >= 0; k--) {
        board[k][c] = (rand() * colors).floor();
        final g = gem(k, c);
        gems[k][c] = g;
        add(g);
      }
    }
  }
}
