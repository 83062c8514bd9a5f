// Racing for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): the validator searches the same road.
const double _carH = 64;
const double _trafficH = 64;
const double _startGap = 420;
const double _finishGap = 200;
const double _carW = 44;
const double _hitSeconds = 1.2;

class _Item {
  _Item(this.row, this.lane, this.car, this.sprite);
  final int row;
  final int lane;
  final bool car;
  final SpriteComponent sprite;
  bool done = false;
}

class RacingMechanic extends MechanicComponent {
  RacingMechanic({required super.level, required super.params, required super.area});

  late final int lanes = level['lanes'] as int;
  late final double speed = (level['speed'] as num).toDouble();
  late final double gap = (level['gap'] as num).toDouble();
  late final List<String> rows = (level['rows'] as List).cast<String>();
  late final double laneMs = (params['lane_ms'] as num).toDouble();
  late final double roadW = min(area.width - 40, lanes * 110).toDouble();
  late final double laneW = roadW / lanes;
  late final double roadX = area.left + (area.width - roadW) / 2;
  late final double carY = area.bottom - 90;
  late final double finish = _startGap + (rows.length - 1) * gap + _finishGap;
  final List<_Item> items = [];
  late SpriteComponent car;
  late SpriteComponent flag;
  late TextComponent info;
  double d = 0;
  double carX = 0;
  double clock = 0;
  double hitUntil = 0;
  int lane = 0;
  int nextRow = 0;
  int passed = 0;
  int coins = 0;

  double laneX(int l) => roadX + (l + 0.5) * laneW;
  double rowDist(int i) => _startGap + i * gap;
  double screenY(double dist) => carY - (dist - d);

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(roadX - 8, area.top),
        size: Vector2(roadW + 16, area.height),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.85)));
    lane = lanes ~/ 2;
    carX = laneX(lane);
    car = SpriteComponent(
        sprite: frame('car'), size: Vector2(_carW, _carH), anchor: Anchor.center, position: Vector2(carX, carY), priority: 4);
    flag = SpriteComponent(sprite: frame('flag'), size: Vector2.all(40), anchor: Anchor.center, priority: 2);
    info = TextComponent(text: '', position: Vector2(area.center.dx, area.top + 26), anchor: Anchor.center, priority: 5);
    addAll([car, flag, info]);
  }

  @override
  void onAction(String action) {
    if (action == 'left' && lane > 0) {
      lane -= 1;
    } else if (action == 'right' && lane < lanes - 1) {
      lane += 1;
    } else {
      return;
    }
    game.cue('lane');
  }

  @override
  void onPointer(String kind, Vector2 point) {
    if (kind == 'down') onAction(point.x < carX ? 'left' : 'right');
  }

  /// Sprites for the rows that come into sight.
  void spawnRows() {
    while (nextRow < rows.length && screenY(rowDist(nextRow)) > area.top - _trafficH) {
      final i = nextRow++;
      final row = rows[i];
      for (var l = 0; l < row.length; l++) {
        if (row[l] == '.') continue;
        final isCar = row[l] == 'x';
        final sprite = SpriteComponent(
            sprite: frame(isCar ? 'traffic' : 'coin'), size: isCar ? Vector2(_carW, _trafficH) : Vector2.all(30),
            anchor: Anchor.center, position: Vector2(laneX(l), screenY(rowDist(i))), priority: 3);
        add(sprite);
        items.add(_Item(i, l, isCar, sprite));
      }
    }
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    clock += dt;
    final was = d;
    d += speed * dt;
    final step = laneW / laneMs * dt * 1000;
    final tx = laneX(lane);
    carX += (tx - carX).clamp(-step, step).toDouble();
    car.position.x = carX;
    var hittable = clock >= hitUntil;
    car.opacity = hittable || (clock * 9).floor().isEven ? 1.0 : 0.3;
    spawnRows();
    const reach = (_carH + _trafficH) / 2;
    for (final it in List.of(items)) {
      final dist = rowDist(it.row);
      final y = screenY(dist);
      it.sprite.position.y = y;
      if (!it.done && (dist - d).abs() < reach && (carX - laneX(it.lane)).abs() < _carW) {
        it.done = true;
        if (it.car && hittable) {
          drop(it);
          hittable = false;
          hitUntil = clock + _hitSeconds;
          game.cue('crash');
          game.analytics.track('car_crashed', {'level': game.levelIndex + 1, 'lives': game.lives - 1});
          if (!game.loseLife('You crashed')) return;
          continue;
        }
        if (!it.car) {
          drop(it);
          coins += 1;
          game.cue('coin');
          game.addScore(game.spec.basePoints);
          game.analytics.track('coin_collected', {'level': game.levelIndex + 1, 'coins': coins});
          continue;
        }
      }
      if (y - _trafficH > area.bottom) drop(it);
    }
    // Rows passed in this frame: their whole window is behind the car.
    while (passed < rows.length && rowDist(passed) + reach <= d) {
      passed += 1;
      game.addScore(1);
      game.analytics.track('row_passed', {'level': game.levelIndex + 1, 'row': passed});
    }
    final fy = screenY(finish);
    flag.position = Vector2(roadX + roadW / 2, fy);
    info.text = '${max(0, ((finish - d) / 10).ceil())} m to go';
    if (was < finish && d >= finish) game.completeLevel();
  }

  void drop(_Item it) {
    items.remove(it);
    it.sprite.removeFromParent();
  }
}
