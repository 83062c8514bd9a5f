// Catcher for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): the validator searches the very same stream.
const double _fieldW = 516;
const double _fieldH = 600;
const double _catchY = 530;
const double _itemR = 20;
const double _basketH = 40;

class _Faller {
  _Faller(this.t0, this.x, this.vy, this.bad, this.sprite);
  final double t0;
  final double x;
  final double vy;
  final bool bad;
  final SpriteComponent sprite;
  double y = -_itemR;
  bool landed = false;
}

class CatcherMechanic extends MechanicComponent {
  CatcherMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final double fx = area.left;
  late final double fy = area.bottom - _fieldH - 8;
  late final double basketSpeed = (params['basket_speed'] as num).toDouble();
  late final double basketW = (params['basket_width'] as num).toDouble();
  late final double half = basketW / 2;
  late final double reach = half + _itemR / 2;
  late final double startMs = (level['start_ms'] as num).toDouble();
  late final double spawnMs = (level['spawn_ms'] as num).toDouble();
  late final double timeLimit = (level['time_limit_s'] as num).toDouble();
  late final double badShare = (level['bad_share'] as num).toDouble();
  late final int target = level['target'] as int;
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  late final int total = max(0, ((timeLimit * 1000 - startMs) / spawnMs).ceil());
  final List<_Faller> fallers = [];
  late SpriteComponent basket;
  late TextComponent info;
  double basketX = _fieldW / 2;
  double? targetX;
  double clock = 0;
  int spawned = 0;
  int caught = 0;

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(fx - 4, fy - 4),
        size: Vector2(_fieldW + 8, _fieldH + 8),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.28)));
    basket = SpriteComponent(
        sprite: frame('basket'), position: Vector2(fx + basketX, fy + _catchY + _basketH / 2 - 4),
        size: Vector2(basketW, _basketH), anchor: Anchor.center, priority: 3);
    info = TextComponent(text: '', position: Vector2(area.center.dx, area.top + 30), anchor: Anchor.center);
    addAll([basket, info]);
    showCount();
  }

  void showCount() => info.text = 'Caught $caught / $target';

  /// The next thing of the stream: the same three draws per spawn as the definition's `fallers`.
  void spawn() {
    final k = spawned++;
    final r1 = rand();
    final r2 = rand();
    final r3 = rand();
    final speedMin = (level['speed_min'] as num).toDouble();
    final speedMax = (level['speed_max'] as num).toDouble();
    final bad = r3 < badShare;
    final x = _itemR + r1 * (_fieldW - 2 * _itemR);
    final sprite = SpriteComponent(
        sprite: frame(bad ? 'bad' : 'good'), size: Vector2.all(_itemR * 2), anchor: Anchor.center,
        position: Vector2(fx + x, fy - _itemR));
    add(sprite);
    fallers.add(_Faller((startMs + k * spawnMs) / 1000, x, speedMin + r2 * (speedMax - speedMin), bad, sprite));
  }

  @override
  void onAction(String action) => targetX = null; // the keys take over from the finger

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down' || kind == 'move') targetX = point.x - fx;
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    clock += dt;
    final held = (game.held.contains('right') ? 1 : 0) - (game.held.contains('left') ? 1 : 0);
    final aim = targetX;
    if (held != 0) {
      basketX += held * basketSpeed * dt;
    } else if (aim != null) {
      basketX += (aim - basketX).clamp(-basketSpeed * dt, basketSpeed * dt).toDouble();
    }
    basketX = basketX.clamp(half, _fieldW - half).toDouble();
    basket.position.x = fx + basketX;
    while (spawned < total && (startMs + spawned * spawnMs) / 1000 <= clock) {
      spawn();
    }
    for (final f in List.of(fallers)) {
      f.y = -_itemR + f.vy * (clock - f.t0);
      f.sprite.position = Vector2(fx + f.x, fy + f.y);
      if (!f.landed && f.y >= _catchY) {
        f.landed = true;
        if ((f.x - basketX).abs() <= reach) {
          drop(f);
          if (!catchIt(f)) return;
          continue;
        }
      }
      if (f.y - _itemR > _fieldH) drop(f);
    }
  }

  void drop(_Faller f) {
    fallers.remove(f);
    f.sprite.removeFromParent();
  }

  /// The basket caught `f`. False when the level or the game ended.
  bool catchIt(_Faller f) {
    if (f.bad) {
      game.cue('bad');
      game.analytics.track('hazard_caught', {'level': game.levelIndex + 1, 'lives': game.lives - 1});
      return game.loseLife('You caught a bad one');
    }
    caught += 1;
    showCount();
    game.cue('catch');
    game.addScore(game.spec.basePoints);
    game.analytics.track('item_caught', {'level': game.levelIndex + 1, 'caught': caught});
    if (caught >= target) {
      game.completeLevel();
      return false;
    }
    return true;
  }
}
