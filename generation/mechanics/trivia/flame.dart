// Geography trivia for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// Tap the right answer to each question about the world's countries.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const _feedback = Duration(milliseconds: 800);

class _Button {
  _Button(this.rect, this.sprite, this.label);
  final Rect rect;
  final SpriteComponent sprite;
  final TextBoxComponent label;
}

class TriviaMechanic extends MechanicComponent {
  TriviaMechanic({required super.level, required super.params, required super.area});

  late final List<Map<String, dynamic>> questions =
      (level['questions'] as List).map((q) => Map<String, dynamic>.from(q as Map)).toList();
  late final int target = level['target'] as int;
  late final int? questionTime = level['question_time_s'] as int?;
  final List<_Button> buttons = [];
  late TextBoxComponent questionText;
  late TextComponent subjectText;
  late TextComponent progress;
  late RectangleComponent timerBar;
  int index = 0;
  int correct = 0;
  int mistakes = 0;
  int streak = 0;
  int selected = 0;
  bool busy = false;
  double clock = 0;
  double askedAt = 0;
  double questionLeft = 0;

  Map<String, dynamic> get question => questions[min(index, questions.length - 1)];

  @override
  Future<void> onLoad() async {
    final textColor = game.spec.color('text');
    progress = TextComponent(
        position: Vector2(area.center.dx, area.top + 22),
        anchor: Anchor.center,
        textRenderer: TextPaint(style: TextStyle(color: textColor, fontSize: 22)));
    add(SpriteComponent(sprite: frame('globe'), position: Vector2(area.left + 18, area.top + 58), size: Vector2.all(76)));
    final cardTop = area.top + 50;
    final cardHeight = min(250.0, area.height * 0.32);
    add(SpriteComponent(
        sprite: frame('card'), position: Vector2(area.left + 100, cardTop), size: Vector2(area.width - 120, cardHeight)));
    questionText = TextBoxComponent(
      position: Vector2(area.left + 120, cardTop + 16),
      size: Vector2(area.width - 160, cardHeight * 0.5),
      align: Anchor.center,
      textRenderer: TextPaint(style: TextStyle(color: textColor, fontSize: 28)),
    );
    subjectText = TextComponent(
        position: Vector2(area.center.dx + 40, cardTop + cardHeight * 0.75),
        anchor: Anchor.center,
        textRenderer: TextPaint(style: const TextStyle(fontSize: 64)));
    timerBar = RectangleComponent(
        position: Vector2(area.left + 120, cardTop + cardHeight - 18),
        size: Vector2(area.width - 160, 10),
        paint: Paint()..color = game.spec.color('accent'));
    addAll([progress, questionText, subjectText, if (questionTime != null) timerBar]);
    final count = (question['choices'] as List).length;
    final top = cardTop + cardHeight + 24;
    final bh = min(100.0, (area.bottom - top - 14 * count) / count);
    final bw = area.width - 40;
    for (var i = 0; i < count; i++) {
      final rect = Rect.fromLTWH(area.left + 20, top + i * (bh + 14), bw, bh);
      final sprite = SpriteComponent(sprite: frame('button'), position: Vector2(rect.left, rect.top), size: Vector2(bw, bh));
      final label = TextBoxComponent(
          position: Vector2(rect.left + 35, rect.top),
          size: Vector2(bw - 70, bh),
          align: Anchor.center,
          textRenderer: TextPaint(style: const TextStyle(color: Colors.white, fontSize: 28, fontWeight: FontWeight.bold)));
      buttons.add(_Button(rect, sprite, label));
      addAll([sprite, label]);
    }
    show();
  }

  void show() {
    final q = question;
    questionText.text = q['text'] as String;
    subjectText.text = (q['subject'] as String?) ?? '';
    final choices = (q['choices'] as List).cast<String>();
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].label.text = choices[i];
      buttons[i].sprite.sprite = frame(i == selected ? 'button_pick' : 'button');
    }
    questionLeft = (questionTime ?? 0).toDouble();
    askedAt = clock;
    progress.text = 'Right $correct / $target     Mistakes left ${max(0, questions.length - target - mistakes)}';
  }

  void answer(int i) {
    if (busy || game.status != GfStatus.playing) return;
    judge(i == question['answer'], i);
  }

  void judge(bool right, int picked) {
    busy = true;
    final level = game.levelIndex + 1;
    game.analytics.track('question_answered',
        {'level': level, 'correct': right, 'kind': question['kind'], 'ms': ((clock - askedAt) * 1000).round()});
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].sprite.sprite = frame(i == question['answer'] ? 'button_pick' : 'button');
    }
    if (right) {
      correct += 1;
      streak += 1;
      final speed = questionTime == null ? 0 : (questionLeft / questionTime! * 5).round();
      game.addScore(game.spec.basePoints * (1 + min(4, streak - 1)) + speed * 2);
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
      if (buttons[i].rect.inflate(6).contains(Offset(point.x, point.y))) {
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
      case 'up':
      case 'left':
        selected = (selected + count - 1) % count;
      case 'down':
      case 'right':
        selected = (selected + 1) % count;
    }
    for (var i = 0; i < count; i++) {
      buttons[i].sprite.sprite = frame(i == selected ? 'button_pick' : 'button');
    }
  }

  @override
  void update(double dt) {
    super.update(dt);
    clock += dt;
    if (busy || questionTime == null || game.status != GfStatus.playing) return;
    questionLeft -= dt;
    timerBar.scale.x = max(0.0, questionLeft / questionTime!);
    if (questionLeft <= 0) judge(false, -1);
  }
}
