// Typing race for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// Type each word before its clock runs out, on the keyboard or the on-screen keys.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const _rows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

class _Key {
  _Key(this.letter, this.rect, this.sprite);
  final String letter;
  final Rect rect;
  final SpriteComponent sprite;
}

class TypingMechanic extends MechanicComponent {
  TypingMechanic({required super.level, required super.params, required super.area});

  late final List<String> words = (level['words'] as List).cast<String>();
  late final double wordTime = (level['word_time_s'] as num).toDouble();
  late final int missesAllowed = level['misses_allowed'] as int;
  final List<_Key> keys = [];
  late TextComponent progress;
  late TextComponent wordText;
  late RectangleComponent bar;
  int index = 0;
  int typed = 0;
  int misses = 0;
  bool busy = false;
  double clock = 0;
  double shownAt = 0;
  double left = 0;

  String get word => words[min(index, words.length - 1)];

  @override
  Future<void> onLoad() async {
    final textColor = game.spec.color('text');
    progress = TextComponent(
        position: Vector2(area.center.dx, area.top + 22),
        anchor: Anchor.center,
        textRenderer: TextPaint(style: TextStyle(color: textColor, fontSize: 22)));
    add(progress);
    add(SpriteComponent(
        sprite: frame('mascot'), position: Vector2(area.center.dx, area.top + 110), size: Vector2.all(110), anchor: Anchor.center));
    final cardY = area.top + 250;
    add(SpriteComponent(
        sprite: frame('card'), position: Vector2(area.center.dx, cardY), size: Vector2(area.width - 40, 150), anchor: Anchor.center));
    wordText = TextComponent(
        position: Vector2(area.center.dx, cardY - 10),
        anchor: Anchor.center,
        textRenderer: TextPaint(style: TextStyle(color: textColor, fontSize: 56)));
    bar = RectangleComponent(
        position: Vector2(area.left + 40, cardY + 50), size: Vector2(area.width - 80, 12), paint: Paint()..color = game.spec.color('accent'));
    addAll([wordText, bar]);
    final kw = (area.width - 20) / 10;
    const kh = 70.0;
    final top = min(area.bottom - 3 * (kh + 8) - 10, cardY + 130);
    for (var r = 0; r < _rows.length; r++) {
      final row = _rows[r];
      final x0 = area.center.dx - row.length * kw / 2 + kw / 2;
      for (var i = 0; i < row.length; i++) {
        final rect = Rect.fromCenter(center: Offset(x0 + i * kw, top + r * (kh + 8) + kh / 2), width: kw - 6, height: kh);
        final sprite = SpriteComponent(sprite: frame('key'), position: Vector2(rect.left, rect.top), size: Vector2(rect.width, rect.height));
        keys.add(_Key(row[i], rect, sprite));
        add(sprite);
        add(TextComponent(
            text: row[i].toUpperCase(),
            position: Vector2(rect.center.dx, rect.center.dy),
            anchor: Anchor.center,
            textRenderer: TextPaint(style: const TextStyle(color: Colors.white, fontSize: 30, fontWeight: FontWeight.bold))));
      }
    }
    show();
  }

  void show() {
    typed = 0;
    left = wordTime;
    shownAt = clock;
    refresh();
  }

  void refresh() {
    final upper = word.toUpperCase();
    wordText.text = '${upper.substring(0, typed)}\u00b7${upper.substring(typed)}';
    progress.text = 'Word ${min(index + 1, words.length)} / ${words.length}     Misses left ${max(0, missesAllowed - misses)}';
  }

  void letter(String ch) {
    if (busy || game.status != GfStatus.playing) return;
    final level = game.levelIndex + 1;
    for (final key in keys) {
      key.sprite.sprite = frame(key.letter == ch ? 'key_hit' : 'key');
    }
    if (word[typed] != ch) {
      game.analytics.track('typo', {'level': level});
      game.cue('typo');
      return;
    }
    typed += 1;
    game.cue('key');
    refresh();
    if (typed < word.length) return;
    game.analytics.track('word_typed', {'level': level, 'length': word.length, 'ms': ((clock - shownAt) * 1000).round()});
    game.cue('word');
    game.addScore(game.spec.basePoints * word.length + (left / wordTime * 5).round() * 2);
    advance();
  }

  void advance() {
    index += 1;
    if (index >= words.length) {
      busy = true;
      game.completeLevel();
      return;
    }
    show();
  }

  /// A physical key: the letters a-z (the game's own keyboard listener passes them here).
  void onLetterKey(String ch) => letter(ch.toLowerCase());

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind != 'down') return;
    for (final key in keys) {
      if (key.rect.inflate(3).contains(Offset(point.x, point.y))) {
        letter(key.letter);
        return;
      }
    }
  }

  @override
  void update(double dt) {
    super.update(dt);
    clock += dt;
    if (busy || game.status != GfStatus.playing) return;
    left -= dt;
    bar.scale.x = max(0.0, left / wordTime);
    if (left > 0) return;
    misses += 1;
    game.analytics.track('word_missed', {'level': game.levelIndex + 1, 'length': word.length});
    game.cue('miss');
    if (misses > missesAllowed) {
      busy = true;
      game.failLevel('Too many words ran out!');
      return;
    }
    advance();
  }
}
