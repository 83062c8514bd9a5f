// GameFactory Flame runtime for "<%= title | dart_comment %>" (spec v<%= spec_version %>).
// The same spec.json as the web bundle drives the game: levels, palette, rules, scoring.
// Mechanics extend MechanicComponent (lib/mechanics/<slug>.dart) and call back into GfGame.
import 'dart:convert';

import 'package:flame/components.dart';
import 'package:flame/events.dart';
import 'package:flame/game.dart';
import 'package:flame_audio/flame_audio.dart';
import 'package:flutter/material.dart';
import 'package:flutter/services.dart';

const double kGameWidth = 540;
const double kGameHeight = 960;
const double kHudHeight = 84;

Color hexColor(String hex) => Color(int.parse(hex.substring(1), radix: 16) | 0xFF000000);

/// The platform's seeded PRNG (mulberry32), bit for bit the web runtime's GF.rng and Python's
/// generation/rng.py: the same seed draws the same numbers in [0, 1) on every platform, so a
/// mechanic draws what its web scene draws. Every Flame mechanic takes its randomness from here.
/// 32-bit products are built from 16-bit halves: exact on the VM and when compiled to JavaScript.
double Function() gfRng(int seed) {
  int imul(int a, int b) {
    final aHi = (a >> 16) & 0xffff;
    final aLo = a & 0xffff;
    final bHi = (b >> 16) & 0xffff;
    final bLo = b & 0xffff;
    return (aLo * bLo + (((aHi * bLo + aLo * bHi) & 0xffff) << 16)) & 0xffffffff;
  }

  var state = seed & 0xffffffff;
  return () {
    state = (state + 0x6d2b79f5) & 0xffffffff;
    var t = imul(state ^ (state >> 15), state | 1);
    t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & 0xffffffff)) & 0xffffffff;
    return ((t ^ (t >> 14)) & 0xffffffff) / 4294967296;
  };
}

/// The parts of spec.json the runtime needs; mechanics read their own `params` and `levels`.
class GameSpec {
  GameSpec(this.raw);

  final Map<String, dynamic> raw;

  String get title => raw['title'] as String;
  String get mechanic => raw['mechanic'] as String;
  Map<String, dynamic> get params => Map<String, dynamic>.from(raw['params'] as Map);
  List<Map<String, dynamic>> get levels =>
      (raw['levels'] as List).map((l) => Map<String, dynamic>.from(l as Map)).toList();
  Map<String, dynamic> get palette => Map<String, dynamic>.from(raw['theme']['palette'] as Map);
  Color color(String role) => hexColor(palette[role] as String);
  int get lives => raw['rules']['lives'] as int;
  int? get timeLimit => raw['rules']['time_limit_s'] as int?;
  int get basePoints => raw['scoring']['base_points'] as int;
  int get levelBonus => raw['scoring']['level_bonus'] as int;
  int get timeBonusPerSecond => raw['scoring']['time_bonus_per_second'] as int;
  List<String> get tutorial => (raw['tutorial'] as List).cast<String>();
  String get winText => raw['rules']['win'] as String;
  bool get soundOn => raw['audio']['enabled'] as bool;
  Map<String, String> get cues => {
        'level_complete': 'win',
        'game_over': 'lose',
        'life_lost': 'hit',
        for (final cue in raw['audio']['cues'] as List) cue['cue'] as String: cue['sound'] as String,
      };
}

/// Analytics with the web runtime's event names; the project's analytics step sends them to the platform.
class GfAnalytics {
  final List<Map<String, dynamic>> queue = [];

  void track(String name, [Map<String, Object?> params = const {}]) {
    queue.add({'name': name, 'params': params, 'ts': DateTime.now().millisecondsSinceEpoch});
    debugPrint('gf event $name $params');
  }
}

enum GfStatus { title, playing, paused, won, lost, completed }

/// Base of every mechanic: built once per level inside the play area.
abstract class MechanicComponent extends PositionComponent with HasGameReference<GfGame> {
  MechanicComponent({required this.level, required this.params, required this.area})
      : super(position: Vector2.zero(), size: Vector2(kGameWidth, kGameHeight));

  final Map<String, dynamic> level;
  final Map<String, dynamic> params;
  final Rect area;

  /// A direction ("up", "down", "left", "right") or "primary", from keys or on-screen buttons.
  void onAction(String action) {}

  /// A tap or drag in game coordinates.
  void onPointer(String kind, Vector2 point) {}

  /// After a life is lost with lives left.
  void respawn() {}

  Sprite frame(String name) => game.frames[name]!;
}

typedef MechanicFactory = MechanicComponent Function(
    Map<String, dynamic> level, Map<String, dynamic> params, Rect area);

class GfGame extends FlameGame with KeyboardEvents, TapCallbacks, DragCallbacks {
  GfGame({required this.createMechanic})
      : super(camera: CameraComponent.withFixedResolution(width: kGameWidth, height: kGameHeight));

  final MechanicFactory createMechanic;
  late GameSpec spec;
  final analytics = GfAnalytics();
  final Map<String, Sprite> frames = {};
  GfStatus status = GfStatus.title;
  int levelIndex = 0;
  int score = 0;
  int levelStartScore = 0;
  int lives = 3;
  double? timeLeft;
  double levelClock = 0;
  MechanicComponent? mechanic;
  late TextComponent hud;

  @override
  Future<void> onLoad() async {
    spec = GameSpec(jsonDecode(await rootBundle.loadString('assets/spec.json')) as Map<String, dynamic>);
    final sheet = await images.load('sprites.png');
    final layout = jsonDecode(await rootBundle.loadString('assets/images/sprites.json')) as Map<String, dynamic>;
    (layout['frames'] as Map).forEach((name, rect) {
      final r = (rect as List).cast<num>();
      frames[name as String] = Sprite(sheet,
          srcPosition: Vector2(r[0].toDouble(), r[1].toDouble()), srcSize: Vector2(r[2].toDouble(), r[3].toDouble()));
    });
    lives = spec.lives;
    final background = await Sprite.load('background.png');
    world.add(SpriteComponent(sprite: background, size: Vector2(kGameWidth, kGameHeight)));
    hud = TextComponent(
      position: Vector2(20, 24),
      textRenderer: TextPaint(style: TextStyle(color: spec.color('text'), fontSize: 24)),
    );
    world.add(hud..priority = 100);
    analytics.track('session_start', {'mechanic': spec.mechanic, 'levels': spec.levels.length});
    analytics.track('tutorial_begin');
    loadLevel(0);
    overlays.add('title');
  }

  Rect get playArea => const Rect.fromLTWH(12, kHudHeight + 8, kGameWidth - 24, kGameHeight - kHudHeight - 16);

  void loadLevel(int index) {
    levelIndex = index;
    levelStartScore = score;
    levelClock = 0;
    final level = spec.levels[index];
    timeLeft = ((level['time_limit_s'] ?? spec.timeLimit) as int?)?.toDouble();
    mechanic?.removeFromParent();
    mechanic = createMechanic(level, spec.params, playArea);
    world.add(mechanic!);
    refreshHud();
  }

  void start() {
    overlays.remove('title');
    analytics.track('tutorial_complete');
    beginLevel();
  }

  void beginLevel() {
    status = GfStatus.playing;
    analytics.track('level_start', {'level': levelIndex + 1});
  }

  void refreshHud() {
    final clock = timeLeft == null ? '' : '   Time ${timeLeft!.ceil()}';
    hud.text = 'Score $score   Level ${levelIndex + 1}/${spec.levels.length}   \u2665 $lives$clock';
  }

  void cue(String name) {
    final sound = spec.cues[name];
    if (spec.soundOn && sound != null) FlameAudio.play('sfx/$sound.wav');
  }

  void addScore(int points) {
    score += points;
    analytics.track('score', {'score': score, 'delta': points, 'level': levelIndex + 1});
    refreshHud();
  }

  void _levelEnd(bool success) {
    analytics.track('level_end', {
      'level': levelIndex + 1,
      'success': success,
      'score': score,
      'duration_ms': (levelClock * 1000).round(),
    });
  }

  /// Returns false when that was the last life (the game is over).
  bool loseLife(String cause) {
    if (status != GfStatus.playing) return false;
    lives -= 1;
    if (lives <= 0) {
      cue('game_over');
      _levelEnd(false);
      status = GfStatus.lost;
      overlays.add('gameOver');
      return false;
    }
    cue('life_lost');
    refreshHud();
    return true;
  }

  void completeLevel() {
    if (status != GfStatus.playing) return;
    final timeBonus = (timeLeft ?? 0).floor() * spec.timeBonusPerSecond;
    addScore(spec.levelBonus + timeBonus);
    cue('level_complete');
    _levelEnd(true);
    final last = levelIndex >= spec.levels.length - 1;
    status = last ? GfStatus.completed : GfStatus.won;
    overlays.add(last ? 'victory' : 'levelComplete');
  }

  void failLevel(String reason) {
    if (status != GfStatus.playing) return;
    lives -= 1;
    _levelEnd(false);
    status = GfStatus.lost;
    cue(lives > 0 ? 'life_lost' : 'game_over');
    overlays.add(lives > 0 ? 'retry' : 'gameOver');
  }

  void nextLevel() {
    overlays.remove('levelComplete');
    loadLevel(levelIndex + 1);
    beginLevel();
  }

  void retry({bool freshLives = false}) {
    overlays
      ..remove('retry')
      ..remove('gameOver');
    if (freshLives) lives = spec.lives;
    score = levelStartScore;
    loadLevel(levelIndex);
    beginLevel();
  }

  void restart() {
    overlays.remove('victory');
    score = 0;
    lives = spec.lives;
    loadLevel(0);
    beginLevel();
  }

  @override
  void update(double dt) {
    super.update(dt);
    if (status != GfStatus.playing) return;
    levelClock += dt;
    if (timeLeft != null) {
      timeLeft = timeLeft! - dt;
      if (timeLeft! <= 0) {
        timeLeft = 0;
        failLevel("Time's up!");
      }
      refreshHud();
    }
  }

  static const _keys = {
    LogicalKeyboardKey.arrowUp: 'up',
    LogicalKeyboardKey.keyW: 'up',
    LogicalKeyboardKey.arrowDown: 'down',
    LogicalKeyboardKey.keyS: 'down',
    LogicalKeyboardKey.arrowLeft: 'left',
    LogicalKeyboardKey.keyA: 'left',
    LogicalKeyboardKey.arrowRight: 'right',
    LogicalKeyboardKey.keyD: 'right',
    LogicalKeyboardKey.space: 'primary',
    LogicalKeyboardKey.enter: 'primary',
  };

  final Set<String> held = {};

  @override
  KeyEventResult onKeyEvent(KeyEvent event, Set<LogicalKeyboardKey> keysPressed) {
    final action = _keys[event.logicalKey];
    if (action == null) return KeyEventResult.ignored;
    if (event is KeyDownEvent) {
      held.add(action);
      if (status == GfStatus.title && action == 'primary') {
        start();
      } else if (status == GfStatus.playing) {
        mechanic?.onAction(action);
      }
    } else if (event is KeyUpEvent) {
      held.remove(action);
    }
    return KeyEventResult.handled;
  }

  Vector2 _toGame(Vector2 canvasPoint) => camera.globalToLocal(canvasPoint);

  @override
  void onTapDown(TapDownEvent event) {
    if (status == GfStatus.playing) mechanic?.onPointer('down', _toGame(event.canvasPosition));
  }

  Vector2? _dragAt;

  @override
  void onDragStart(DragStartEvent event) {
    super.onDragStart(event);
    _dragAt = _toGame(event.canvasPosition);
    if (status == GfStatus.playing) mechanic?.onPointer('down', _dragAt!);
  }

  @override
  void onDragUpdate(DragUpdateEvent event) {
    if (_dragAt == null || status != GfStatus.playing) return;
    _dragAt = _dragAt! + event.localDelta;
    mechanic?.onPointer('move', _dragAt!);
  }

  @override
  void onDragEnd(DragEndEvent event) {
    super.onDragEnd(event);
    final velocity = event.velocity;
    if (status == GfStatus.playing && velocity.length > 300) {
      final dir = velocity.x.abs() > velocity.y.abs()
          ? (velocity.x > 0 ? 'right' : 'left')
          : (velocity.y > 0 ? 'down' : 'up');
      mechanic?.onAction(dir);
    }
    if (_dragAt != null && status == GfStatus.playing) mechanic?.onPointer('up', _dragAt!);
    _dragAt = null;
  }
}

/// Title, level-complete, retry, game-over and victory screens as Flutter overlays.
Map<String, Widget Function(BuildContext, GfGame)> gfOverlays() {
  Widget card(GfGame game, String title, List<String> lines, List<(String, VoidCallback)> buttons) {
    return Center(
      child: Container(
        width: 420,
        padding: const EdgeInsets.all(24),
        decoration: BoxDecoration(
          color: game.spec.color('surface'),
          border: Border.all(color: game.spec.color('primary'), width: 4),
          borderRadius: BorderRadius.circular(18),
        ),
        child: Column(mainAxisSize: MainAxisSize.min, children: [
          Text(title, style: TextStyle(fontSize: 30, color: game.spec.color('text'))),
          const SizedBox(height: 12),
          for (final line in lines) Text(line, textAlign: TextAlign.center, style: TextStyle(color: game.spec.color('text'))),
          const SizedBox(height: 16),
          for (final (label, onPressed) in buttons)
            Padding(
              padding: const EdgeInsets.only(top: 10),
              child: ElevatedButton(onPressed: onPressed, child: Text(label)),
            ),
        ]),
      ),
    );
  }

  return {
    'title': (context, game) => card(game, game.spec.title, [...game.spec.tutorial, 'Goal: ${game.spec.winText}'],
        [('Play', game.start)]),
    'levelComplete': (context, game) =>
        card(game, 'Level ${game.levelIndex + 1} complete!', ['Score ${game.score}'], [('Next level', game.nextLevel)]),
    'retry': (context, game) =>
        card(game, 'Try again', ['Lives left: ${game.lives}'], [('Try again', () => game.retry())]),
    'gameOver': (context, game) =>
        card(game, 'Game over', ['Score ${game.score}'], [('Retry level', () => game.retry(freshLives: true))]),
    'victory': (context, game) => card(game, 'You beat all ${game.spec.levels.length} levels!',
        ['Score ${game.score}'], [('Play again', game.restart)]),
  };
}
