// Breakout for "<%= title | dart_comment %>": the Flame twin of scene.js beside it.
import 'dart:math';

import 'package:flame/components.dart';

import '../gf_runtime.dart';

class _Brick {
  _Brick(this.rect, this.hp, this.sprite);
  final Rect rect;
  int hp;
  final SpriteComponent sprite;
}

class BreakoutMechanic extends MechanicComponent {
  BreakoutMechanic({required super.level, required super.params, required super.area});

  static const double ball = 18;
  static const double paddleH = 22;
  static const double maxBounce = 62 * pi / 180;
  final List<_Brick> bricks = [];
  late SpriteComponent paddle;
  late SpriteComponent ballSprite;
  late double paddleW = (params['paddle_width'] as num) * (level['paddle_scale'] as num).toDouble();
  late double baseSpeed = (params['ball_speed'] as num) * (level['ball_speed_scale'] as num).toDouble();
  late double speed = baseSpeed;
  Vector2 velocity = Vector2.zero();
  bool attached = true;
  double? targetX;

  double get paddleY => area.bottom - 60;

  @override
  Future<void> onLoad() async {
    final rows = (level['bricks'] as List).cast<String>();
    final cols = rows.first.length;
    const gap = 6.0;
    final bw = (area.width - 24 - gap * (cols - 1)) / cols;
    for (var r = 0; r < rows.length; r++) {
      for (var c = 0; c < cols; c++) {
        final hp = int.parse(rows[r][c]);
        if (hp == 0) continue;
        final rect = Rect.fromLTWH(area.left + 12 + c * (bw + gap), area.top + 158 + r * 34, bw, 28);
        final sprite = SpriteComponent(sprite: frame('brick$hp'), position: Vector2(rect.left, rect.top), size: Vector2(bw, 28));
        add(sprite);
        bricks.add(_Brick(rect, hp, sprite));
      }
    }
    paddle = SpriteComponent(sprite: frame('paddle'), size: Vector2(paddleW, paddleH), anchor: Anchor.center,
        position: Vector2(area.center.dx, paddleY));
    ballSprite = SpriteComponent(sprite: frame('ball'), size: Vector2.all(ball), anchor: Anchor.center);
    addAll([paddle, ballSprite]);
    attach();
  }

  void attach() {
    attached = true;
    speed = baseSpeed;
    ballSprite.position = Vector2(paddle.x, paddleY - paddleH / 2 - ball / 2 - 1);
  }

  void launch() {
    if (!attached) return;
    attached = false;
    final angle = -0.35 + 0.7 * ((paddle.x - area.left) / area.width);
    velocity = Vector2(speed * sin(angle), -speed * cos(angle));
    game.cue('paddle');
  }

  @override
  void onAction(String action) {
    if (action == 'primary' || action == 'up') launch();
  }

  @override
  void onPointer(String kind, Vector2 point) {
    targetX = point.x;
    if (kind == 'down') launch();
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (game.status != GfStatus.playing) return;
    var x = paddle.x;
    if (game.held.contains('left') || game.held.contains('right')) {
      targetX = null;
      x += (game.held.contains('right') ? 1 : -1) * 760 * dt;
    } else if (targetX != null) {
      x += (targetX! - x).clamp(-2400 * dt, 2400 * dt);
    }
    paddle.x = x.clamp(area.left + paddleW / 2, area.right - paddleW / 2);
    if (attached) {
      ballSprite.position = Vector2(paddle.x, paddleY - paddleH / 2 - ball / 2 - 1);
      return;
    }
    final steps = max(1, (speed * dt / 6).ceil());
    for (var i = 0; i < steps; i++) {
      if (!move(dt / steps)) return;
    }
  }

  bool move(double dt) {
    const r = ball / 2;
    final p = ballSprite.position..add(velocity * dt);
    if (p.x < area.left + r || p.x > area.right - r) velocity.x = -velocity.x;
    if (p.y < area.top + r) velocity.y = velocity.y.abs();
    p.x = p.x.clamp(area.left + r, area.right - r);
    final top = paddleY - paddleH / 2;
    if (velocity.y > 0 && p.y + r >= top && p.y + r <= top + paddleH && (p.x - paddle.x).abs() <= paddleW / 2 + r) {
      final offset = ((p.x - paddle.x) / (paddleW / 2)).clamp(-1.0, 1.0);
      velocity = Vector2(speed * sin(offset * maxBounce), -speed * cos(offset * maxBounce));
      game.cue('paddle');
    }
    for (final b in bricks) {
      if (b.hp <= 0) continue;
      final dx = p.x - b.rect.center.dx;
      final dy = p.y - b.rect.center.dy;
      final ox = b.rect.width / 2 + r - dx.abs();
      final oy = b.rect.height / 2 + r - dy.abs();
      if (ox <= 0 || oy <= 0) continue;
      if (ox < oy) {
        velocity.x = dx > 0 ? velocity.x.abs() : -velocity.x.abs();
      } else {
        velocity.y = dy > 0 ? velocity.y.abs() : -velocity.y.abs();
      }
      hit(b);
      break;
    }
    if (p.y - r > area.bottom) {
      game.cue('miss');
      game.analytics.track('ball_lost', {'level': game.levelIndex + 1});
      if (game.loseLife('ball')) attach();
      return false;
    }
    return true;
  }

  void hit(_Brick b) {
    b.hp -= 1;
    speed = min(baseSpeed * 1.8, speed * (1 + (params['speed_up_per_hit'] as num).toDouble()));
    velocity = velocity.normalized() * speed;
    game.cue('brick');
    if (b.hp > 0) {
      b.sprite.sprite = frame('brick${b.hp}');
      game.addScore(game.spec.basePoints ~/ 2);
      return;
    }
    b.sprite.removeFromParent();
    game.addScore(game.spec.basePoints);
    final left = bricks.where((x) => x.hp > 0).length;
    game.analytics.track('brick_broken', {'remaining': left, 'level': game.levelIndex + 1});
    if (left == 0) game.completeLevel();
  }

  @override
  void respawn() => attach();
}
