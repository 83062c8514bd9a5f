// Rhythm for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

const int _lanes = 4;
const Map<String, int> _laneOf = {'left': 0, 'down': 1, 'up': 2, 'right': 3};
const double _note = 52;
const double _pad = 76;

class _Note {
  _Note(this.t, this.lane, this.sprite);
  final double t;
  final int lane;
  final SpriteComponent sprite;
  int state = 0; // 0 pending, 1 hit, 2 missed
}

class RhythmMechanic extends MechanicComponent {
  RhythmMechanic({required super.level, required super.params, required super.area});

  late final double laneW = area.width / _lanes;
  late final double hitY = area.bottom - 110;
  late final double tickS = 30 / (level['bpm'] as num).toDouble();
  late final double leadIn = (level['lead_in_s'] as num).toDouble();
  late final double window = (params['window_ms'] as num) / 1000;
  late final double scroll = (params['scroll'] as num).toDouble();
  final List<_Note> notes = [];
  final List<SpriteComponent> pads = [];
  late int need;
  late double songEnd;
  late TextComponent info;
  double clock = 0;
  int beat = 0;
  int hits = 0;
  int misses = 0;
  int combo = 0;
  bool ended = false;

  double laneX(int lane) => area.left + (lane + 0.5) * laneW;

  @override
  Future<void> onLoad() async {
    for (var lane = 0; lane < _lanes; lane++) {
      add(RectangleComponent(
          position: Vector2(area.left + lane * laneW, area.top),
          size: Vector2(laneW, area.height),
          paint: Paint()..color = game.spec.color(lane.isOdd ? 'surface' : 'background').withOpacity(0.55)));
    }
    add(RectangleComponent(
        position: Vector2(area.left, hitY - 2), size: Vector2(area.width, 4), paint: Paint()..color = game.spec.color('accent')));
    for (var lane = 0; lane < _lanes; lane++) {
      final pad = SpriteComponent(
          sprite: frame('pad'), position: Vector2(laneX(lane), hitY), size: Vector2.all(_pad), anchor: Anchor.center)
        ..opacity = 0.7;
      pads.add(pad);
      add(pad);
    }
    final data = (level['notes'] as List).map((n) => (n as List).cast<int>()).toList();
    for (final n in data) {
      final sprite = SpriteComponent(
          sprite: frame('note'), position: Vector2(laneX(n[1]), -100), size: Vector2.all(_note), anchor: Anchor.center);
      notes.add(_Note(leadIn + n[0] * tickS, n[1], sprite));
      add(sprite);
    }
    need = ((level['pass_ratio'] as num) * notes.length).ceil();
    songEnd = leadIn + data.last[0] * tickS + 1.5;
    info = TextComponent(text: '', position: Vector2(area.center.dx, area.top + 26), anchor: Anchor.center);
    add(info);
    showInfo();
  }

  void showInfo() => info.text = 'Hits $hits / $need needed of ${notes.length}';

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    clock += dt;
    if (clock >= leadIn + beat * 2 * tickS) {
      beat += 1;
      if (params['metronome'] == true) game.cue('beat');
    }
    for (final n in notes) {
      if (n.state != 0) continue;
      if (clock - n.t > window) {
        miss(n);
        continue;
      }
      n.sprite.position.y = hitY - (n.t - clock) * scroll;
    }
    if (!ended && clock >= songEnd) end();
  }

  void miss(_Note n) {
    n.state = 2;
    misses += 1;
    combo = 0;
    n.sprite.removeFromParent();
    game.cue('miss');
    game.analytics.track('note_missed', {'level': game.levelIndex + 1, 'lane': n.lane, 'misses': misses});
    showInfo();
  }

  void press(int lane) {
    if (game.status != GfStatus.playing || lane < 0 || lane >= _lanes) return;
    _Note? best;
    for (final n in notes) {
      if (n.state != 0 || n.lane != lane) continue;
      final off = (n.t - clock).abs();
      if (off <= window && (best == null || off < (best.t - clock).abs())) best = n;
    }
    if (best == null) return;
    final perfect = (best.t - clock).abs() <= window / 2;
    best.state = 1;
    hits += 1;
    combo += 1;
    best.sprite.removeFromParent();
    game.cue('hit');
    game.addScore(game.spec.basePoints * (perfect ? 2 : 1) + combo ~/ 10);
    game.analytics.track('note_hit',
        {'level': game.levelIndex + 1, 'lane': lane, 'quality': perfect ? 'perfect' : 'good', 'combo': combo});
    showInfo();
  }

  void end() {
    ended = true;
    if (hits >= need) {
      game.completeLevel();
    } else {
      game.failLevel('Only $hits of $need notes hit');
    }
  }

  @override
  void onAction(String action) {
    final lane = _laneOf[action];
    if (lane != null) press(lane);
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down') press(((point.x - area.left) / laneW).floor());
  }
}
