// Word search for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// Drag from a hidden word's first letter to its last to find it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

class _Line extends Component {
  _Line(this.from, this.to, this.color, this.width);
  Offset from;
  Offset to;
  final Color color;
  final double width;

  @override
  void render(Canvas canvas) {
    final paint = Paint()
      ..color = color
      ..strokeWidth = width
      ..strokeCap = StrokeCap.round;
    canvas.drawLine(from, to, paint);
  }
}

class WordsearchMechanic extends MechanicComponent {
  WordsearchMechanic({required super.level, required super.params, required super.area});

  late final int n = level['size'] as int;
  late final List<String> grid = (level['grid'] as List).cast<String>();
  late final List<Map<String, dynamic>> words =
      (level['words'] as List).map((w) => Map<String, dynamic>.from(w as Map)).toList();
  late final double cell = min(72.0, (area.width - 20) / n);
  late final double x0 = area.center.dx - cell * n / 2;
  late final double y0 = area.top + 20;
  final List<int> found = [];
  final List<TextComponent> labels = [];
  late SpriteComponent cursorSprite;
  _Line? selection;
  List<int>? start;
  List<int>? end;
  List<int> cursor = [0, 0];
  bool marking = false;
  double clock = 0;
  double lastFoundAt = 0;

  @override
  Future<void> onLoad() async {
    final textColor = game.spec.color('text');
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        final p = centerOf([r, c]);
        add(SpriteComponent(
            sprite: frame('cell'), position: Vector2(p.dx, p.dy), size: Vector2.all(cell - 4), anchor: Anchor.center));
        add(TextComponent(
            text: grid[r][c].toUpperCase(),
            position: Vector2(p.dx, p.dy),
            anchor: Anchor.center,
            textRenderer: TextPaint(style: TextStyle(color: textColor, fontSize: cell * 0.55))));
      }
    }
    cursorSprite = SpriteComponent(sprite: frame('cursor'), size: Vector2.all(cell), anchor: Anchor.center);
    add(cursorSprite);
    final listTop = y0 + n * cell + 24;
    final cols = words.length > 6 ? 3 : 2;
    final colW = (area.width - 20) / cols;
    final rows = (words.length / cols).ceil();
    final rowH = min(44.0, (area.bottom - listTop - 70) / rows);
    for (var i = 0; i < words.length; i++) {
      final label = TextComponent(
          text: (words[i]['word'] as String).toUpperCase(),
          position: Vector2(area.left + 10 + colW * (i % cols) + colW / 2, listTop + rowH * (i ~/ cols) + rowH / 2),
          anchor: Anchor.center,
          textRenderer: TextPaint(style: TextStyle(color: textColor, fontSize: min(28.0, rowH * 0.7))));
      labels.add(label);
      add(label);
    }
    add(SpriteComponent(
        sprite: frame('mascot'), position: Vector2(area.right - 50, area.bottom - 50), size: Vector2.all(80), anchor: Anchor.center));
    moveCursor();
  }

  Offset centerOf(List<int> rc) => Offset(x0 + rc[1] * cell + cell / 2, y0 + rc[0] * cell + cell / 2);

  List<int>? cellAt(Vector2 p) {
    final c = ((p.x - x0) / cell).floor();
    final r = ((p.y - y0) / cell).floor();
    if (r < 0 || c < 0 || r >= n || c >= n) return null;
    return [r, c];
  }

  /// The end snapped to the nearest straight line (row, column or diagonal) from the start.
  List<int> snap(List<int> s, List<int> e) {
    final dr = e[0] - s[0];
    final dc = e[1] - s[1];
    if (dr == 0 || dc == 0 || dr.abs() == dc.abs()) return e;
    if (dr.abs() * 2 < dc.abs()) return [s[0], e[1]];
    if (dc.abs() * 2 < dr.abs()) return [e[0], s[1]];
    final m = min(dr.abs(), dc.abs());
    return [s[0] + dr.sign * m, s[1] + dc.sign * m];
  }

  void showSelection() {
    selection?.removeFromParent();
    selection = null;
    if (start != null && end != null) {
      selection = _Line(centerOf(start!), centerOf(end!), game.spec.color('secondary').withValues(alpha: 0.45), cell * 0.7);
      add(selection!);
    }
  }

  void moveCursor() {
    final p = centerOf(cursor);
    cursorSprite.position = Vector2(p.dx, p.dy);
  }

  void select(List<int> s, List<int> e) {
    final dr = (e[0] - s[0]).sign;
    final dc = (e[1] - s[1]).sign;
    final length = max((e[0] - s[0]).abs(), (e[1] - s[1]).abs()) + 1;
    start = null;
    end = null;
    showSelection();
    if (length < 2) return;
    final level = game.levelIndex + 1;
    for (var i = 0; i < words.length; i++) {
      final w = words[i];
      final word = w['word'] as String;
      if (found.contains(i) || word.length != length) continue;
      final first = [w['row'] as int, w['col'] as int];
      final last = [first[0] + (w['dr'] as int) * (length - 1), first[1] + (w['dc'] as int) * (length - 1)];
      final forward = first[0] == s[0] && first[1] == s[1] && last[0] == e[0] && last[1] == e[1];
      final backward = first[0] == e[0] && first[1] == e[1] && last[0] == s[0] && last[1] == s[1];
      if (!forward && !backward) continue;
      if (dr != (forward ? w['dr'] : -(w['dr'] as int)) || dc != (forward ? w['dc'] : -(w['dc'] as int))) continue;
      found.add(i);
      add(_Line(centerOf(first), centerOf(last), game.spec.color('accent').withValues(alpha: 0.5), cell * 0.7));
      labels[i].scale = Vector2.all(0.8);
      game.analytics.track('word_found', {'level': level, 'length': length, 'ms': ((clock - lastFoundAt) * 1000).round()});
      lastFoundAt = clock;
      game.cue('found');
      game.addScore(game.spec.basePoints * length);
      if (found.length == words.length) game.completeLevel();
      return;
    }
    game.analytics.track('wrong_selection', {'level': level, 'length': length});
    game.cue('miss');
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (game.status != GfStatus.playing) return;
    final rc = cellAt(point);
    if (kind == 'down') {
      if (rc == null) return;
      start = rc;
      end = rc;
      cursor = rc;
      game.cue('select');
    } else if (kind == 'move' && start != null && rc != null) {
      end = snap(start!, rc);
    } else if (kind == 'up' && start != null) {
      if (rc != null) end = snap(start!, rc);
      select(start!, end!);
      return;
    }
    showSelection();
    moveCursor();
  }

  @override
  void onAction(String action) {
    var r = cursor[0];
    var c = cursor[1];
    switch (action) {
      case 'up':
        r = max(0, r - 1);
      case 'down':
        r = min(n - 1, r + 1);
      case 'left':
        c = max(0, c - 1);
      case 'right':
        c = min(n - 1, c + 1);
    }
    cursor = [r, c];
    if (action == 'primary') {
      if (!marking) {
        marking = true;
        start = cursor;
        end = cursor;
        game.cue('select');
      } else {
        marking = false;
        select(start!, snap(start!, cursor));
      }
    } else if (marking) {
      end = snap(start!, cursor);
    }
    showSelection();
    moveCursor();
  }

  @override
  void update(double dt) {
    super.update(dt);
    clock += dt;
  }
}
