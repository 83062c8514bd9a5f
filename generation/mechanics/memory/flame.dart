// Memory for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
// Flip two cards a turn to find every pair before the turns (or the clock) run out.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const double _band = 56;
const double _gap = 10;
const _missDelay = Duration(milliseconds: 900);

class _Card {
  _Card(this.face, this.back, this.front, this.image);
  final int face;
  final SpriteComponent back;
  final SpriteComponent front;
  final SpriteComponent image;
  String state = 'down'; // down, up, matched

  void show(bool up) {
    back.opacity = up ? 0 : 1;
    front.opacity = up ? 1 : 0;
    image.opacity = up ? 1 : 0;
  }
}

class MemoryMechanic extends MechanicComponent {
  MemoryMechanic({required super.level, required super.params, required super.area});

  late final int rows = level['rows'] as int;
  late final int cols = level['cols'] as int;
  late final List<int> faces = (level['cards'] as List).cast<int>();
  late final int? moveLimit = level['move_limit'] as int?;
  late final int peekMs = params['peek'] == true ? (level['peek_ms'] ?? 0) as int : 0;
  late final double cw = min(120.0, min((area.width - _gap * (cols + 1)) / cols, (area.height - _band - _gap * (rows + 1)) / rows * 0.8));
  late final double ch = cw * 1.25;
  late final Vector2 origin = Vector2(area.left + (area.width - (cols * cw + (cols - 1) * _gap)) / 2,
      area.top + _band + (area.height - _band - (rows * ch + (rows - 1) * _gap)) / 2);
  final List<_Card> cards = [];
  final List<int> open = [];
  late TextComponent status;
  late SpriteComponent cursorSprite;
  int turns = 0;
  int found = 0;
  int combo = 0;
  int cursor = 0;
  bool busy = false;

  Vector2 centre(int i) => origin + Vector2((i % cols) * (cw + _gap) + cw / 2, (i ~/ cols) * (ch + _gap) + ch / 2);

  @override
  Future<void> onLoad() async {
    for (var i = 0; i < faces.length; i++) {
      SpriteComponent make(String name, Vector2 size) =>
          SpriteComponent(sprite: frame(name), position: centre(i), size: size, anchor: Anchor.center);
      final card = _Card(faces[i], make('back', Vector2(cw, ch)), make('front', Vector2(cw, ch)),
          make('face${faces[i]}', Vector2.all(cw * 0.7)));
      card.show(false);
      cards.add(card);
      addAll([card.back, card.front, card.image]);
    }
    cursorSprite = SpriteComponent(sprite: frame('cursor'), position: centre(0), size: Vector2(cw + 12, ch + 12),
        anchor: Anchor.center, priority: 5)
      ..opacity = 0;
    add(cursorSprite);
    status = TextComponent(
      position: Vector2(area.center.dx, area.top + _band / 2),
      anchor: Anchor.center,
      textRenderer: TextPaint(style: TextStyle(color: game.spec.color('text'), fontSize: 24)),
    );
    add(status);
    refresh();
    if (peekMs > 0) {
      busy = true;
      for (final card in cards) {
        card.show(true);
      }
      Future<void>.delayed(Duration(milliseconds: peekMs), () {
        for (final card in cards) {
          if (card.state == 'down') card.show(false);
        }
        busy = false;
      });
    }
  }

  void refresh() {
    final turnsText = moveLimit == null ? 'Turns $turns' : 'Turns left ${moveLimit! - turns}';
    status.text = 'Pairs $found / ${cards.length ~/ 2}     $turnsText';
  }

  void flip(int i) {
    if (busy || game.status != GfStatus.playing || i < 0 || i >= cards.length) return;
    final card = cards[i];
    if (card.state != 'down') return;
    card.state = 'up';
    card.show(true);
    open.add(i);
    game.cue('flip');
    if (open.length == 2) judge();
  }

  void judge() {
    final a = cards[open[0]];
    final b = cards[open[1]];
    open.clear();
    turns += 1;
    final level = game.levelIndex + 1;
    if (a.face == b.face) {
      a.state = b.state = 'matched';
      found += 1;
      combo += 1;
      game.addScore(game.spec.basePoints * 2 * (params['combo_bonus'] == true ? combo : 1));
      game.cue(combo > 1 ? 'combo' : 'pair');
      game.analytics.track('pair_found', {'level': level, 'combo': combo, 'left': cards.length ~/ 2 - found});
      if (found * 2 == cards.length) {
        if (moveLimit != null) game.addScore((moveLimit! - turns) * game.spec.basePoints);
        game.completeLevel();
        return;
      }
    } else {
      combo = 0;
      busy = true;
      game.cue('miss');
      game.analytics.track('pair_missed', {'level': level, 'turns_left': moveLimit == null ? -1 : moveLimit! - turns});
      Future<void>.delayed(_missDelay, () {
        a.state = b.state = 'down';
        a.show(false);
        b.show(false);
        busy = false;
      });
    }
    refresh();
    if (moveLimit != null && turns >= moveLimit! && found * 2 < cards.length) {
      game.analytics.track('out_of_moves', {'level': level, 'left': cards.length ~/ 2 - found});
      game.failLevel('Out of turns!');
    }
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind != 'down') return;
    final c = ((point.x - origin.x) / (cw + _gap)).floor();
    final r = ((point.y - origin.y) / (ch + _gap)).floor();
    if (r < 0 || c < 0 || r >= rows || c >= cols) return;
    cursor = r * cols + c;
    flip(cursor);
  }

  @override
  void onAction(String action) {
    if (action == 'primary') {
      flip(cursor);
      return;
    }
    var r = cursor ~/ cols;
    var c = cursor % cols;
    if (action == 'up') r = max(0, r - 1);
    if (action == 'down') r = min(rows - 1, r + 1);
    if (action == 'left') c = max(0, c - 1);
    if (action == 'right') c = min(cols - 1, c + 1);
    cursor = r * cols + c;
    cursorSprite
      ..position = centre(cursor)
      ..opacity = 1;
  }
}
