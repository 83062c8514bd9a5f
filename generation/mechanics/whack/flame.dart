// Whack for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';

import '../gf_runtime.dart';

class _Pop {
  _Pop(this.t1, this.bad, this.sprite);
  final double t1;
  final bool bad;
  final SpriteComponent sprite;
}

class _Hole {
  _Hole(this.x, this.y);
  final double x;
  final double y;
  _Pop? pop;
}

class WhackMechanic extends MechanicComponent {
  WhackMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  static const double top = 70;
  late final int cols = level['cols'] as int;
  late final int rows = level['rows'] as int;
  late final double startMs = (level['start_ms'] as num).toDouble();
  late final double popMs = (level['pop_ms'] as num).toDouble();
  late final double upMs = (level['up_ms'] as num).toDouble();
  late final double badShare = (level['bad_share'] as num).toDouble();
  late final double timeLimit = (level['time_limit_s'] as num).toDouble();
  late final int target = level['target'] as int;
  late final double cell = min(min(area.width / cols, (area.height - top) / rows), 170).floorToDouble();
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late final int total = max(0, ((timeLimit * 1000 - startMs) / popMs).ceil());
  final List<_Hole> holes = [];
  late final List<double> takenUntil;
  late SpriteComponent hammer;
  late TextComponent info;
  double clock = 0;
  int popped = 0;
  int whacked = 0;
  int cursor = 0;

  @override
  Future<void> onLoad() async {
    final x0 = area.left + (area.width - cell * cols) / 2;
    final y0 = area.top + top + (area.height - top - cell * rows) / 2;
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols; c++) {
        final x = x0 + (c + 0.5) * cell;
        final y = y0 + (r + 0.5) * cell;
        add(SpriteComponent(
            sprite: frame('hole'), position: Vector2(x, y + cell * 0.22), size: Vector2(cell * 0.8, cell * 0.32),
            anchor: Anchor.center));
        holes.add(_Hole(x, y));
      }
    }
    takenUntil = List.filled(holes.length, 0.0);
    cursor = holes.length ~/ 2;
    hammer = SpriteComponent(sprite: frame('hammer'), size: Vector2.all(cell * 0.42), anchor: Anchor.center, priority: 5);
    info = TextComponent(text: '', position: Vector2(area.center.dx, area.top + 30), anchor: Anchor.center);
    addAll([hammer, info]);
    placeHammer();
    showCount();
  }

  void showCount() => info.text = 'Whacked $whacked / $target';

  void placeHammer() {
    final h = holes[cursor];
    hammer.position = Vector2(h.x + cell * 0.3, h.y - cell * 0.3);
  }

  /// The next pop of the schedule: the same two draws per pop as the definition's `pops`.
  void pop() {
    final k = popped++;
    final r1 = rand();
    final r2 = rand();
    final t0 = (startMs + k * popMs) / 1000;
    final n = holes.length;
    final first = (r1 * n).floor();
    for (var step = 0; step < n; step++) {
      final i = (first + step) % n;
      if (takenUntil[i] <= t0) {
        final t1 = t0 + upMs / 1000;
        takenUntil[i] = t1;
        final bad = r2 < badShare;
        final h = holes[i];
        final sprite = SpriteComponent(
            sprite: frame(bad ? 'bomb' : 'mole'), size: Vector2.all(cell * (bad ? 0.55 : 0.62)),
            position: Vector2(h.x, h.y - cell * 0.04), anchor: Anchor.center, priority: 2);
        add(sprite);
        h.pop = _Pop(t1, bad, sprite);
        game.cue('pop');
        return;
      }
    }
  }

  void hide(_Hole h) {
    h.pop?.sprite.removeFromParent();
    h.pop = null;
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    clock += dt;
    while (popped < total && (startMs + popped * popMs) / 1000 <= clock) {
      pop();
    }
    for (final h in holes) {
      final p = h.pop;
      if (p != null && clock >= p.t1) hide(h);
    }
  }

  @override
  void onAction(String action) {
    if (action == 'primary') {
      whack(cursor);
      return;
    }
    var r = cursor ~/ cols;
    var c = cursor % cols;
    if (action == 'left') c = max(0, c - 1);
    if (action == 'right') c = min(cols - 1, c + 1);
    if (action == 'up') r = max(0, r - 1);
    if (action == 'down') r = min(rows - 1, r + 1);
    cursor = r * cols + c;
    placeHammer();
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind != 'down') return;
    for (var i = 0; i < holes.length; i++) {
      final h = holes[i];
      if ((point.x - h.x).abs() <= cell / 2 && (point.y - h.y).abs() <= cell / 2) {
        cursor = i;
        placeHammer();
        whack(i);
        return;
      }
    }
  }

  void whack(int i) {
    final h = holes[i];
    final p = h.pop;
    if (p == null) return;
    hide(h);
    if (p.bad) {
      game.cue('bomb');
      game.analytics.track('bomb_whacked', {'level': game.levelIndex + 1, 'lives': game.lives - 1});
      game.loseLife('You whacked a bomb');
      return;
    }
    whacked += 1;
    showCount();
    game.cue('whack');
    game.addScore(game.spec.basePoints);
    game.analytics.track('mole_whacked', {'level': game.levelIndex + 1, 'whacked': whacked});
    if (whacked >= target) game.completeLevel();
  }
}
