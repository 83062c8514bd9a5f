// Math quiz for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// Tap the right answer to each timed question; enough right answers finish the level.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const _symbol = {'+': '+', '-': '\u2212', '*': '\u00d7', '/': '\u00f7'};
const _feedback = Duration(milliseconds: 650);

class _Button {
  _Button(this.rect, this.sprite, this.label);
  final Rect rect;
  final SpriteComponent sprite;
  final TextComponent label;
  int value = 0;
}

class MathquizMechanic extends MechanicComponent {
  MathquizMechanic({required super.level, required super.params, required super.area});

  late final List<Map<String, dynamic>> questions =
      (level['questions'] as List).map((q) => Map<String, dynamic>.from(q as Map)).toList();
  late final int target = level['target'] as int;
  late final int? questionTime = level['question_time_s'] as int?;
  final List<_Button> buttons = [];
  late TextComponent questionText;
  late TextComponent progress;
  late RectangleComponent timerBar;
  int index = 0;
  int correct = 0;
  int mistakes = 0;
  int streak = 0;
  int selected = 0;
  bool busy = false;
  double questionLeft = 0;

  Map<String, dynamic> get question => questions[min(index, questions.length - 1)];

  @override
  Future<void> onLoad() async {
    final style = TextStyle(color: game.spec.color('text'), fontSize: 22);
    progress = TextComponent(position: Vector2(area.center.dx, area.top + 24), anchor: Anchor.center, textRenderer: TextPaint(style: style));
    final cardTop = area.top + 70;
    final cardHeight = min(220.0, area.height * 0.3);
    add(SpriteComponent(sprite: frame('card'), position: Vector2(area.left + 20, cardTop), size: Vector2(area.width - 40, cardHeight)));
    questionText = TextComponent(
      position: Vector2(area.center.dx, cardTop + cardHeight / 2 - 10),
      anchor: Anchor.center,
      textRenderer: TextPaint(style: TextStyle(color: game.spec.color('text'), fontSize: 64)),
    );
    timerBar = RectangleComponent(
        position: Vector2(area.left + 40, cardTop + cardHeight - 30), size: Vector2(area.width - 80, 12),
        paint: Paint()..color = game.spec.color('accent'));
    addAll([progress, questionText, if (questionTime != null) timerBar]);
    final count = (question['choices'] as List).length;
    final rowsOfButtons = (count / 2).ceil();
    final top = cardTop + cardHeight + 30;
    final bh = min(120.0, (area.bottom - top - 20 * rowsOfButtons) / rowsOfButtons);
    final bw = (area.width - 60) / 2;
    for (var i = 0; i < count; i++) {
      var cx = area.left + 20 + bw / 2 + (i % 2) * (bw + 20);
      final cy = top + bh / 2 + (i ~/ 2) * (bh + 20);
      if (count.isOdd && i == count - 1) cx = area.center.dx;
      final rect = Rect.fromCenter(center: Offset(cx, cy), width: bw, height: bh);
      final sprite = SpriteComponent(sprite: frame('button'), position: Vector2(rect.left, rect.top), size: Vector2(bw, bh));
      final label = TextComponent(
          position: Vector2(cx, cy),
          anchor: Anchor.center,
          textRenderer: TextPaint(style: const TextStyle(color: Colors.white, fontSize: 44, fontWeight: FontWeight.bold)));
      buttons.add(_Button(rect, sprite, label));
      addAll([sprite, label]);
    }
    show();
  }

  void show() {
    final q = question;
    questionText.text = '${q['a']} ${_symbol[q['op']]} ${q['b']} = ?';
    final choices = (q['choices'] as List).cast<int>();
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].value = choices[i];
      buttons[i].label.text = '${choices[i]}';
      buttons[i].sprite.sprite = frame(i == selected ? 'button_pick' : 'button');
    }
    questionLeft = (questionTime ?? 0).toDouble();
    progress.text = 'Right $correct / $target     Mistakes left ${max(0, questions.length - target - mistakes)}';
  }

  void answer(int i) {
    if (busy || game.status != GfStatus.playing) return;
    judge(i >= 0 && buttons[i].value == question['answer'], i);
  }

  void judge(bool right, int picked) {
    busy = true;
    final level = game.levelIndex + 1;
    game.analytics.track('question_answered', {'level': level, 'correct': right, 'op': question['op']});
    if (right) {
      correct += 1;
      streak += 1;
      final speed = questionTime == null ? 0 : (questionLeft / questionTime! * 5).round();
      final bonus = params['streak_bonus'] == true ? min(5, streak - 1) : 0;
      game.addScore(game.spec.basePoints * (1 + bonus) + speed * 2);
      if (streak >= 3 && streak % 3 == 0) {
        game.cue('streak');
        game.analytics.track('streak', {'level': level, 'length': streak});
      } else {
        game.cue('correct');
      }
    } else {
      mistakes += 1;
      streak = 0;
      game.cue(picked < 0 ? 'timeout' : 'wrong');
    }
    index += 1;
    Future<void>.delayed(_feedback, next);
  }

  void next() {
    if (game.status != GfStatus.playing) return;
    if (correct >= target) {
      game.completeLevel();
      return;
    }
    if (mistakes > questions.length - target) {
      game.analytics.track('too_many_mistakes', {'level': game.levelIndex + 1, 'correct': correct});
      game.failLevel('Too many mistakes!');
      return;
    }
    show();
    busy = false;
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind != 'down') return;
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].rect.contains(Offset(point.x, point.y))) {
        selected = i;
        answer(i);
        return;
      }
    }
  }

  @override
  void onAction(String action) {
    final count = buttons.length;
    switch (action) {
      case 'primary':
        answer(selected);
        return;
      case 'left':
        selected = (selected + count - 1) % count;
      case 'right':
        selected = (selected + 1) % count;
      case 'up':
        selected = max(0, selected - 2);
      case 'down':
        selected = min(count - 1, selected + 2);
    }
    for (var i = 0; i < count; i++) {
      buttons[i].sprite.sprite = frame(i == selected ? 'button_pick' : 'button');
    }
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (busy || questionTime == null || game.status != GfStatus.playing) return;
    questionLeft -= dt;
    timerBar.scale.x = max(0.0, questionLeft / questionTime!);
    if (questionLeft <= 0) judge(false, -1);
  }
}
