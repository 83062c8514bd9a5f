// Stacker for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

class StackerMechanic extends MechanicComponent {
  StackerMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late final int cols = level['cols'] as int;
  late final int rows = level['rows'] as int;
  late final List<List<int>> caps =
      (level['caps'] as List).map((c) => (c as List).map((v) => v as int).toList()).toList();
  late final double cell = min(area.width / cols, area.height / (rows + 1)).floorToDouble();
  late final double x0 = (area.left + (area.width - cell * cols) / 2).roundToDouble();
  late final double y0 = (area.top + (area.height - cell * (rows + 1)) / 2).roundToDouble() + cell;
  final List<List<int>> stack = [];
  final List<SpriteComponent> sliderSprites = [];
  late int width = level['width'] as int;
  int row = 0;
  int x = 0;
  int dir = 1;
  double since = 0;

  double cellX(int c) => x0 + (c + 0.5) * cell;
  double cellY(int r) => y0 + (rows - 1 - r + 0.5) * cell;

  int stepFor(int r) =>
      max(level['min_step_ms'] as int, (level['step_ms'] as int) - (level['speedup_ms'] as int) * r);

  int capFor(int r) {
    var cap = cols;
    for (final c in caps) {
      if (r >= c[0]) cap = min(cap, c[1]);
    }
    return cap;
  }

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(x0 - 6, y0 - cell - 6),
        size: Vector2(cell * cols + 12, cell * (rows + 1) + 12),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.85)));
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols; c++) {
        add(SpriteComponent(
            sprite: frame('cell'), position: Vector2(cellX(c), cellY(r)), size: Vector2.all(cell - 2), anchor: Anchor.center)
          ..opacity = 0.35);
      }
    }
    add(RectangleComponent(
        position: Vector2(x0, y0 - 2), size: Vector2(cell * cols, 4), paint: Paint()..color = game.spec.color('accent')));
    startRow();
  }

  /// A new slider: the same two draws per row as stacker.py's `slider_for` and scene.js.
  void startRow() {
    width = min(width, capFor(row));
    x = (rand() * (cols - width + 1)).floor();
    dir = rand() < 0.5 ? 1 : -1;
    since = 0;
    for (final s in sliderSprites) {
      s.removeFromParent();
    }
    sliderSprites.clear();
    for (var k = 0; k < width; k++) {
      final s = SpriteComponent(sprite: frame('slider'), size: Vector2.all(cell - 4), anchor: Anchor.center);
      sliderSprites.add(s);
      add(s);
    }
    placeSlider();
  }

  void placeSlider() {
    for (var k = 0; k < sliderSprites.length; k++) {
      sliderSprites[k].position = Vector2(cellX(x + k), cellY(row));
    }
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    since += dt * 1000;
    final step = stepFor(row);
    var moved = false;
    while (since >= step) {
      since -= step;
      if (x + dir < 0 || x + dir > cols - width) dir = -dir;
      x += dir;
      moved = true;
    }
    if (moved) placeSlider();
  }

  @override
  void onAction(String action) {
    if (action == 'primary' || action == 'down') drop();
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down') drop();
  }

  void drop() {
    if (game.status != GfStatus.playing) return;
    final below = stack.isEmpty ? null : stack.last;
    final lo = below == null ? x : max(x, below[0]);
    final hi = below == null ? x + width : min(x + width, below[0] + below[1]);
    final kept = max(0, hi - lo);
    for (final s in sliderSprites) {
      s.removeFromParent();
    }
    sliderSprites.clear();
    if (kept == 0) {
      game.cue('cut');
      game.analytics.track('stack_missed', {'level': game.levelIndex + 1, 'row': row + 1, 'lives': game.lives - 1});
      if (game.loseLife('The row missed the stack')) startRow();
      return;
    }
    for (var c = lo; c < hi; c++) {
      add(SpriteComponent(
          sprite: frame('block'), position: Vector2(cellX(c), cellY(row)), size: Vector2.all(cell - 4), anchor: Anchor.center));
    }
    final cut = width - kept;
    final perfect = cut == 0 && row > 0;
    game.cue(cut > 0 ? 'cut' : (perfect ? 'perfect' : 'drop'));
    game.addScore(game.spec.basePoints * kept * (perfect && params['bonus_perfect'] == true ? 2 : 1));
    game.analytics.track('row_placed', {'level': game.levelIndex + 1, 'row': row + 1, 'width': kept, 'cut': cut});
    stack.add([lo, kept]);
    row += 1;
    width = kept;
    if (row >= rows) {
      game.completeLevel();
      return;
    }
    startRow();
  }
}
