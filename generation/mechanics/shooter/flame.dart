// Shooter for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'package:flame/components.dart';
import 'package:flutter/material.dart';

import '../gf_runtime.dart';

// Shared with the definition beside it (__init__.py): the validator times the same march.
const double _fieldW = 516;
const double _fieldH = 600;
const double _cellW = 56;
const double _cellH = 46;
const double _formationY = 40;
const double _shipY = 550;
const double _shipHW = 22;
const double _shipHH = 18;
const double _landY = _shipY - 60;
const double _alienHW = 22;
const double _alienHH = 18;
const double _bombR = 10;
const double _hitSeconds = 1.5;
const double _firstBombMs = 1500;

class _Alien {
  _Alien(this.r, this.c, this.hp, this.sprite);
  final int r;
  final int c;
  int hp;
  final SpriteComponent sprite;
}

class _Mover {
  _Mover(this.x, this.y, this.sprite);
  final double x;
  double y;
  final SpriteComponent sprite;
}

class ShooterMechanic extends MechanicComponent {
  ShooterMechanic({required super.level, required super.params, required super.area});

  /// The level's seed for gfRng: the same as the scene's rngSeed, so both draw the same numbers.
  static int rngSeed(Map<String, dynamic> level, int index) => level['seed'] as int;

  late final double fx = area.left;
  late final double fy = area.bottom - _fieldH - 8;
  late final double shipSpeed = (params['ship_speed'] as num).toDouble();
  late final double fireMs = (params['fire_ms'] as num).toDouble();
  late final double shotSpeed = (params['shot_speed'] as num).toDouble();
  late final double marchSpeed = (level['march_speed'] as num).toDouble();
  late final double drop = (level['drop'] as num).toDouble();
  late final double bombMs = (level['bomb_ms'] as num).toDouble();
  late final double bombSpeed = (level['bomb_speed'] as num).toDouble();
  late final List<String> formation = (level['formation'] as List).cast<String>();
  late final double boxW = formation.first.length * _cellW;
  late final double Function() rand = gfRng(rngSeed(level, game.levelIndex));
  final List<_Alien> aliens = [];
  final List<_Mover> shots = [];
  final List<_Mover> bombs = [];
  late SpriteComponent ship;
  double shipX = _fieldW / 2;
  double? targetX;
  double ox = 0;
  double oy = _formationY;
  double dir = 1;
  double clock = 0;
  double fireClock = 0;
  double bombClock = -_firstBombMs;
  double hitUntil = 0;

  @override
  Future<void> onLoad() async {
    add(RectangleComponent(
        position: Vector2(fx - 4, fy - 4),
        size: Vector2(_fieldW + 8, _fieldH + 8),
        paint: Paint()..color = game.spec.color('surface').withOpacity(0.28)));
    for (var r = 0; r < formation.length; r++) {
      for (var c = 0; c < formation[r].length; c++) {
        final hp = int.parse(formation[r][c]);
        if (hp == 0) continue;
        final sprite = SpriteComponent(
            sprite: frame('alien'), size: Vector2.all(hp > 1 ? 50 : 42), anchor: Anchor.center, priority: 2);
        add(sprite);
        aliens.add(_Alien(r, c, hp, sprite));
      }
    }
    placeAliens();
    ship = SpriteComponent(
        sprite: frame('ship'), position: Vector2(fx + shipX, fy + _shipY), size: Vector2(_shipHW * 2 + 8, _shipHH * 2 + 10),
        anchor: Anchor.center, priority: 3);
    add(ship);
  }

  double alienX(_Alien a) => ox + a.c * _cellW + _cellW / 2;
  double alienY(_Alien a) => oy + a.r * _cellH + _cellH / 2;

  void placeAliens() {
    for (final a in aliens) {
      a.sprite.position = Vector2(fx + alienX(a), fy + alienY(a));
    }
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
    final target = targetX;
    if (held != 0) {
      shipX += held * shipSpeed * dt;
    } else if (target != null) {
      shipX += (target - shipX).clamp(-shipSpeed * dt, shipSpeed * dt).toDouble();
    }
    shipX = shipX.clamp(_shipHW, _fieldW - _shipHW).toDouble();
    ship.position.x = fx + shipX;
    final hittable = clock >= hitUntil;
    ship.opacity = hittable || (clock * 9).floor().isEven ? 1.0 : 0.3;
    if (!march(dt)) return;
    fire(dt);
    if (!moveShots(dt)) return;
    dropBombs(dt);
    moveBombs(dt, hittable);
  }

  /// The formation's box marches sideways and steps down at each edge. False when it landed.
  bool march(double dt) {
    ox += dir * marchSpeed * dt;
    if (ox + boxW > _fieldW) {
      ox = _fieldW - boxW;
      dir = -1;
      oy += drop;
    } else if (ox < 0) {
      ox = 0;
      dir = 1;
      oy += drop;
    }
    placeAliens();
    if (oy + formation.length * _cellH >= _landY) {
      game.failLevel('The invaders landed');
      return false;
    }
    return true;
  }

  void fire(double dt) {
    fireClock += dt * 1000;
    while (fireClock >= fireMs) {
      fireClock -= fireMs;
      final sprite = SpriteComponent(
          sprite: frame('shot'), size: Vector2(14, 28), anchor: Anchor.center,
          position: Vector2(fx + shipX, fy + _shipY - _shipHH));
      add(sprite);
      shots.add(_Mover(shipX, _shipY - _shipHH, sprite));
      game.cue('shot');
    }
  }

  /// Shots fly up and hit the first invader they meet. False when the level was won.
  bool moveShots(double dt) {
    for (final shot in List.of(shots)) {
      shot.y -= shotSpeed * dt;
      _Alien? target;
      for (final a in aliens) {
        if ((shot.x - alienX(a)).abs() <= _alienHW + 4 && (shot.y - alienY(a)).abs() <= _alienHH + 8) {
          target = a;
          break;
        }
      }
      if (target != null || shot.y < -20) {
        shots.remove(shot);
        shot.sprite.removeFromParent();
        if (target != null && strike(target)) return false;
        continue;
      }
      shot.sprite.position = Vector2(fx + shot.x, fy + shot.y);
    }
    return true;
  }

  /// A shot hits an invader: an armoured one loses its armour, another falls. True when the formation is gone.
  bool strike(_Alien a) {
    a.hp -= 1;
    if (a.hp > 0) {
      a.sprite.size = Vector2.all(42);
      game.addScore(game.spec.basePoints ~/ 2);
      return false;
    }
    aliens.remove(a);
    a.sprite.removeFromParent();
    game.cue('kill');
    game.addScore(game.spec.basePoints);
    game.analytics.track('enemy_destroyed', {'level': game.levelIndex + 1, 'remaining': aliens.length});
    if (aliens.isEmpty) {
      game.completeLevel();
      return true;
    }
    return false;
  }

  /// Every bomb_ms an invader drawn from gfRng drops a bomb: one draw per bomb, as scene.js.
  void dropBombs(double dt) {
    bombClock += dt * 1000;
    while (bombClock >= bombMs) {
      bombClock -= bombMs;
      final a = aliens[(rand() * aliens.length).floor()];
      final x = alienX(a);
      final y = alienY(a) + _alienHH;
      final sprite = SpriteComponent(
          sprite: frame('bomb'), size: Vector2.all(_bombR * 2 + 4), anchor: Anchor.center,
          position: Vector2(fx + x, fy + y));
      add(sprite);
      bombs.add(_Mover(x, y, sprite));
    }
  }

  void moveBombs(double dt, bool hittable) {
    for (final b in List.of(bombs)) {
      b.y += bombSpeed * dt;
      b.sprite.position = Vector2(fx + b.x, fy + b.y);
      if (b.y - _bombR > _fieldH) {
        bombs.remove(b);
        b.sprite.removeFromParent();
        continue;
      }
      if (hittable && (b.x - shipX).abs() < _shipHW + _bombR && (b.y - _shipY).abs() < _shipHH + _bombR) {
        bombs.remove(b);
        b.sprite.removeFromParent();
        hittable = false;
        hitUntil = clock + _hitSeconds;
        game.cue('hit');
        game.analytics.track('ship_hit', {'level': game.levelIndex + 1, 'lives': game.lives - 1});
        if (!game.loseLife('A bomb hit your ship')) return;
      }
    }
  }
}
