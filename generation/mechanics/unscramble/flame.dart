// Word unscramble for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// Tap the shuffled letter tiles in order to spell the hidden word.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const _feedback = Duration(milliseconds: 600);

class _Tile {
  _Tile(this.letter, this.slot, this.sprite, this.label);
  final String letter;
  int slot;
  bool used = false;
  final SpriteComponent sprite;
  final TextComponent label;
  Rect rect = Rect.zero;
}

class _Slot {
  _Slot(this.rect, this.sprite, this.label);
  final Rect rect;
  final SpriteComponent sprite;
  final TextComponent label;
}

class UnscrambleMechanic extends MechanicComponent {
  UnscrambleMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both shuffle alike.
  static int rngSeed(Map<String, dynamic> level, int index) => (level['seed'] as int) + index;

  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late final List<Map<String, dynamic>> puzzles =
      (level['puzzles'] as List).map((p) => Map<String, dynamic>.from(p as Map)).toList();
  late final int mistakesAllowed = level['mistakes_allowed'] as int;
  final List<_Tile> tiles = [];
  final List<_Slot> slots = [];
  final List<int> placed = [];
  final List<Rect> buttons = [];
  late TextComponent progress;
  int index = 0;
  int solved = 0;
  int mistakes = 0;
  int cursor = 0;
  bool busy = false;
  double clock = 0;
  double askedAt = 0;
  double tileSize = 64;
  int perRow = 1;

  double get slotY => area.top + 260;
  double get tileY => area.top + 420;

  @override
  Future<void> onLoad() async {
    final style = TextStyle(color: game.spec.color('text'), fontSize: 22);
    progress = TextComponent(
        position: Vector2(area.center.dx, area.top + 22), anchor: Anchor.center, textRenderer: TextPaint(style: style));
    add(progress);
    add(SpriteComponent(
        sprite: frame('mascot'), position: Vector2(area.center.dx, area.top + 120), size: Vector2.all(120), anchor: Anchor.center));
    final by = min(area.bottom - 40, tileY + 250);
    final bw = min(200.0, (area.width - 60) / 2);
    final labels = ['\u21bb Shuffle', '\u232b Back'];
    for (var i = 0; i < 2; i++) {
      final cx = area.center.dx + (i == 0 ? -1 : 1) * (bw / 2 + 10);
      final rect = Rect.fromCenter(center: Offset(cx, by), width: bw, height: 64);
      buttons.add(rect);
      add(SpriteComponent(sprite: frame('button'), position: Vector2(rect.left, rect.top), size: Vector2(bw, 64)));
      add(TextComponent(
          text: labels[i],
          position: Vector2(cx, by),
          anchor: Anchor.center,
          textRenderer: TextPaint(style: const TextStyle(color: Colors.white, fontSize: 26, fontWeight: FontWeight.bold))));
    }
    show();
  }

  Map<String, dynamic> get puzzle => puzzles[min(index, puzzles.length - 1)];

  void show() {
    for (final t in tiles) {
      t.sprite.removeFromParent();
      t.label.removeFromParent();
    }
    for (final s in slots) {
      s.sprite.removeFromParent();
      s.label.removeFromParent();
    }
    tiles.clear();
    slots.clear();
    placed.clear();
    cursor = 0;
    final letters = puzzle['letters'] as String;
    final n = letters.length;
    final s = min(68.0, (area.width - 20) / n - 8);
    final x0 = area.center.dx - ((s + 8) * n - 8) / 2 + s / 2;
    for (var i = 0; i < n; i++) {
      final rect = Rect.fromCenter(center: Offset(x0 + i * (s + 8), slotY), width: s, height: s * 1.15);
      final sprite = SpriteComponent(sprite: frame('slot'), position: Vector2(rect.left, rect.top), size: Vector2(rect.width, rect.height));
      final label = TextComponent(
          position: Vector2(rect.center.dx, rect.center.dy),
          anchor: Anchor.center,
          textRenderer: TextPaint(style: TextStyle(color: game.spec.color('text'), fontSize: s * 0.6)));
      slots.add(_Slot(rect, sprite, label));
      addAll([sprite, label]);
    }
    perRow = n > 6 ? (n / 2).ceil() : n;
    tileSize = min(84.0, (area.width - 30) / perRow - 12);
    for (var i = 0; i < n; i++) {
      final sprite = SpriteComponent(sprite: frame('tile'), size: Vector2.all(tileSize), anchor: Anchor.center);
      final label = TextComponent(
          text: letters[i].toUpperCase(),
          anchor: Anchor.center,
          textRenderer: TextPaint(style: TextStyle(color: Colors.white, fontSize: tileSize * 0.55, fontWeight: FontWeight.bold)));
      tiles.add(_Tile(letters[i], i, sprite, label));
      addAll([sprite, label]);
    }
    layout();
    refresh();
    askedAt = clock;
  }

  void layout() {
    final n = tiles.length;
    for (final tile in tiles) {
      final row = tile.slot ~/ perRow;
      final inRow = min(perRow, n - row * perRow);
      final col = tile.slot - row * perRow;
      final x = area.center.dx - ((tileSize + 12) * inRow - 12) / 2 + tileSize / 2 + col * (tileSize + 12);
      final y = tileY + row * (tileSize + 16);
      tile.rect = Rect.fromCenter(center: Offset(x, y), width: tileSize, height: tileSize);
      tile.sprite.position = Vector2(x, y);
      tile.label.position = Vector2(x, y);
    }
  }

  void refresh() {
    for (final tile in tiles) {
      tile.sprite.sprite = frame(tile.used ? 'tile_used' : 'tile');
      tile.label.scale = Vector2.all(tile.slot == cursor && !tile.used ? 1.2 : 1.0);
    }
    for (var j = 0; j < slots.length; j++) {
      slots[j].label.text = j < placed.length ? tiles[placed[j]].letter.toUpperCase() : '';
    }
    progress.text = 'Word ${min(index + 1, puzzles.length)} / ${puzzles.length}     '
        'Mistakes left ${max(0, mistakesAllowed - mistakes)}';
  }

  String get typed => placed.map((i) => tiles[i].letter).join();

  void place(int i) {
    if (busy || game.status != GfStatus.playing || i < 0 || i >= tiles.length || tiles[i].used) return;
    tiles[i].used = true;
    placed.add(i);
    game.cue('letter');
    refresh();
    if (placed.length == tiles.length) check();
  }

  void takeBack(int k) {
    if (busy || game.status != GfStatus.playing || k < 0 || k >= placed.length) return;
    tiles[placed.removeAt(k)].used = false;
    refresh();
  }

  void shuffle() {
    if (busy || game.status != GfStatus.playing) return;
    final free = tiles.where((t) => !t.used).toList();
    final places = free.map((t) => t.slot).toList();
    for (var i = places.length - 1; i > 0; i--) {
      final j = (rand() * (i + 1)).floor();
      final tmp = places[i];
      places[i] = places[j];
      places[j] = tmp;
    }
    for (var k = 0; k < free.length; k++) {
      free[k].slot = places[k];
    }
    layout();
    refresh();
    game.cue('shuffle');
    game.analytics.track('shuffled', {'level': game.levelIndex + 1});
  }

  void check() {
    final word = puzzle['word'] as String;
    final level = game.levelIndex + 1;
    busy = true;
    if (typed == word) {
      solved += 1;
      game.analytics.track('word_solved', {'level': level, 'length': word.length, 'ms': ((clock - askedAt) * 1000).round()});
      game.cue('correct');
      game.addScore(game.spec.basePoints * word.length);
      index += 1;
      Future<void>.delayed(_feedback, next);
      return;
    }
    mistakes += 1;
    game.analytics.track('wrong_word', {'level': level, 'length': word.length});
    game.cue('wrong');
    refresh();
    Future<void>.delayed(_feedback, () {
      if (game.status != GfStatus.playing) return;
      if (mistakes > mistakesAllowed) {
        game.failLevel('Too many wrong words!');
        return;
      }
      busy = false;
      while (placed.isNotEmpty) {
        takeBack(placed.length - 1);
      }
    });
  }

  void next() {
    if (game.status != GfStatus.playing) return;
    if (index >= puzzles.length) {
      game.completeLevel();
      return;
    }
    show();
    busy = false;
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind != 'down') return;
    final at = Offset(point.x, point.y);
    for (var i = 0; i < tiles.length; i++) {
      if (!tiles[i].used && tiles[i].rect.inflate(4).contains(at)) {
        cursor = tiles[i].slot;
        place(i);
        return;
      }
    }
    for (var j = 0; j < placed.length; j++) {
      if (slots[j].rect.inflate(4).contains(at)) {
        takeBack(j);
        return;
      }
    }
    if (buttons[0].contains(at)) shuffle();
    if (buttons[1].contains(at)) takeBack(placed.length - 1);
  }

  @override
  void onAction(String action) {
    final n = tiles.length;
    switch (action) {
      case 'primary':
        final at = tiles.indexWhere((t) => t.slot == cursor);
        place(at);
        final free = tiles.where((t) => !t.used).toList();
        if (free.isNotEmpty) cursor = free.first.slot;
      case 'left':
        cursor = (cursor + n - 1) % n;
      case 'right':
        cursor = (cursor + 1) % n;
      case 'up':
        shuffle();
      case 'down':
        takeBack(placed.length - 1);
    }
    refresh();
  }

  @override
  void update(double dt) {
    super.update(dt);
    clock += dt;
  }
}
