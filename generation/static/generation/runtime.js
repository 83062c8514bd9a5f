/*
 * GameFactory runtime: boots the mechanic named in the spec with Phaser 3.
 *
 * The spec and the asset manifest are read from the data blocks #gf-spec and #gf-assets
 * (so the bundle also opens from file://). The ONLY channel outward is
 * window.parent.postMessage, with this protocol:
 *   game -> parent: {gf: 1, kind: "analytics", event: {name, params, ts}}
 *                   {gf: 1, kind: "ad", placement}      {gf: 1, kind: "mp", data}
 *                   {gf: 1, kind: "ready"}
 *   parent -> game: {gf: 1, kind: "ad_result", placement, completed: true}
 *                   {gf: 1, kind: "mp", data}
 * Mechanics (mechanics/<slug>.js) call GF.registerMechanic(slug, class extends GF.MechanicScene).
 */
(function () {
  "use strict";

  var W = 540;
  var H = 960;
  var HUD_H = 84;
  var CONTROLS_H = 230;
  var FONT = "DejaVu Sans, Verdana, Arial, sans-serif";
  var EVENT_NAME = /^[a-z][a-z0-9_]{0,39}$/;
  var MAX_ERROR_EVENTS = 20;

  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var spec = readData("gf-spec");
  var manifest = readData("gf-assets");
  if (!spec || !manifest) {
    throw new Error("GameFactory: the spec or asset data block is missing");
  }

  function hexNumber(hex) {
    return parseInt(hex.slice(1), 16);
  }

  var P = spec.theme.palette;
  var palette = {
    css: P,
    background: hexNumber(P.background),
    surface: hexNumber(P.surface),
    primary: hexNumber(P.primary),
    secondary: hexNumber(P.secondary),
    accent: hexNumber(P.accent),
    danger: hexNumber(P.danger),
    text: hexNumber(P.text),
  };

  /**
   * The platform's seeded PRNG (mulberry32), GF.rng: the same seed gives the same numbers here, in
   * Python (generation/rng.py) and in the Flame runtime (gfRng); tests/generation/test_rng.py runs all three.
   */
  function rng(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // --- the channel to the parent page -----------------------------------------------------------

  var parentWindow = window.parent && window.parent !== window ? window.parent : null;

  function post(message) {
    if (!parentWindow) return;
    message.gf = 1;
    // The sandbox gives the game an opaque origin and it cannot know the platform's: "*" it is.
    // Nothing secret travels here, only what the game itself reports.
    parentWindow.postMessage(message, "*");
  }

  var eventLog = [];
  var errorEvents = 0;

  function cleanParams(params) {
    var out = {};
    if (!params || typeof params !== "object") return out;
    Object.keys(params).slice(0, 10).forEach(function (key) {
      var value = params[key];
      if (typeof value === "number" && isFinite(value)) out[key] = value;
      else if (typeof value === "boolean") out[key] = value;
      else if (typeof value === "string") out[key] = value.slice(0, 200);
    });
    return out;
  }

  var analytics = {
    /** Report an event to the platform (relayed by the player page). */
    track: function (name, params) {
      if (typeof name !== "string" || !EVENT_NAME.test(name)) return false;
      var event = { name: name, params: cleanParams(params), ts: Date.now() };
      eventLog.push(name);
      if (eventLog.length > 500) eventLog.shift();
      post({ kind: "analytics", event: event });
      return true;
    },
  };

  // logic_wrap (generation/jscheck.py) puts this many lines above logic.js's own first line.
  var LOGIC_SCRIPT = "logic.js";
  var LOGIC_WRAPPER_LINES = 2;

  /** A game_error event (at most MAX_ERROR_EVENTS per session: a failing loop must not flood). */
  function reportError(message, source, line) {
    if (errorEvents++ >= MAX_ERROR_EVENTS) return;
    if (source === LOGIC_SCRIPT && line > LOGIC_WRAPPER_LINES) line -= LOGIC_WRAPPER_LINES;
    analytics.track("game_error", { message: String(message || "error"), source: source, line: line || 0 });
  }

  /** Where an error was thrown, from its stack: {source: "file.js", line} of the innermost frame
   * (of the innermost frame in `file`, when given); nothing but a file name and a line leaves. */
  function errorOrigin(err, file) {
    try {
      var stack = err && typeof err === "object" && typeof err.stack === "string" ? err.stack : "";
      // The first line repeats the message (which could name any file): read the frames only.
      stack = stack.slice(stack.indexOf("\n") + 1);
      var frame = /([A-Za-z0-9_.-]+\.js):(\d+):\d+/g;
      var match;
      while ((match = frame.exec(stack)) !== null) {
        if (!file || match[1] === file) return { source: match[1], line: parseInt(match[2], 10) };
      }
    } catch (ignored) {
      /* an odd stack: no origin */
    }
    return { source: "", line: 0 };
  }

  /** The message of anything thrown, never throwing itself (a thrown value may have a hostile toString). */
  function errorMessage(err) {
    try {
      var message = err && typeof err === "object" && "message" in err ? err.message : err;
      return String(message).slice(0, 200) || "error";
    } catch (ignored) {
      return "error";
    }
  }

  window.addEventListener("error", function (e) {
    reportError(e.message || "error", String(e.filename || "").split("/").pop(), e.lineno || 0);
  });
  window.addEventListener("unhandledrejection", function (e) {
    var reason = e.reason;
    var origin = errorOrigin(reason, LOGIC_SCRIPT);
    var fromLogic = origin.source === LOGIC_SCRIPT;
    reportError(errorMessage(reason === undefined ? "rejected promise" : reason), fromLogic ? LOGIC_SCRIPT : "promise",
      fromLogic ? origin.line : 0);
  });

  // --- sound --------------------------------------------------------------------------------------

  var sound = {
    enabled: spec.audio.enabled,
    volume: spec.audio.volume,
    pools: {},
    cues: manifest.cues || {},
    play: function (name) {
      if (!this.enabled || !manifest.sounds[name]) return;
      var pool = this.pools[name];
      if (!pool) {
        pool = this.pools[name] = [];
      }
      var audio = null;
      for (var i = 0; i < pool.length; i++) {
        if (pool[i].paused || pool[i].ended) {
          audio = pool[i];
          break;
        }
      }
      if (!audio) {
        if (pool.length >= 4) return;
        audio = new Audio(manifest.sounds[name]);
        audio.preload = "auto";
        pool.push(audio);
      }
      audio.volume = this.volume;
      try {
        audio.currentTime = 0;
      } catch (err) {
        /* not loaded yet: plays from the start anyway */
      }
      var playing = audio.play();
      // Browsers refuse sound before the first tap or key: that is expected, not an error.
      if (playing && playing.catch) playing.catch(function () {});
    },
    cue: function (cue) {
      var name = this.cues[cue];
      if (name) this.play(name);
    },
    toggle: function () {
      this.enabled = !this.enabled;
      return this.enabled;
    },
  };

  // --- ads (simulated) -------------------------------------------------------------------------

  var adCounters = {};
  var pendingAd = null;
  // The studio's preview loads the bundle with #gf-preview: the creator is testing, no ad is shown.
  var preview = /(^|[#&])gf-preview(&|$)/.test(String(window.location.hash || ""));

  function adOverlay(placement, done) {
    var root = document.createElement("div");
    root.className = "gf-ad";
    var box = document.createElement("div");
    box.className = "gf-ad-box";
    var label = document.createElement("div");
    label.className = "gf-ad-label";
    label.textContent = placement.format === "rewarded" ? "Rewarded ad (simulated)" : "Advertisement (simulated)";
    var count = document.createElement("div");
    count.className = "gf-ad-count";
    box.appendChild(label);
    box.appendChild(count);
    if (placement.format === "rewarded") {
      var skip = document.createElement("button");
      skip.className = "gf-ad-skip";
      skip.textContent = "Skip (no reward)";
      skip.addEventListener("click", function () {
        done(false);
      });
      box.appendChild(skip);
    }
    root.appendChild(box);
    document.body.appendChild(root);
    var left = placement.format === "rewarded" ? 3 : 2;
    count.textContent = String(left);
    var timer = setInterval(function () {
      left -= 1;
      count.textContent = String(Math.max(0, left));
      if (left <= 0) done(true);
    }, 1000);
    return function close() {
      clearInterval(timer);
      if (root.parentNode) root.parentNode.removeChild(root);
    };
  }

  var ads = {
    /** The placement for `trigger` (and `format`) that is due now, counting how often it was asked. */
    due: function (trigger, format) {
      if (preview) return null;
      for (var i = 0; i < spec.ads.length; i++) {
        var p = spec.ads[i];
        if (p.trigger !== trigger || (format && p.format !== format)) continue;
        adCounters[p.id] = (adCounters[p.id] || 0) + 1;
        if ((adCounters[p.id] - 1) % p.every === 0) return p;
      }
      return null;
    },
    find: function (trigger, format) {
      if (preview) return null;
      for (var i = 0; i < spec.ads.length; i++) {
        var p = spec.ads[i];
        if (p.trigger === trigger && (!format || p.format === format)) return p;
      }
      return null;
    },
    /** Show a placement by id; resolves {completed} when the (simulated) ad ends. */
    show: function (placementId) {
      var placement = null;
      for (var i = 0; i < spec.ads.length; i++) if (spec.ads[i].id === placementId) placement = spec.ads[i];
      if (!placement) return Promise.resolve({ completed: false });
      post({ kind: "ad", placement: placement.id });
      analytics.track("ad_impression", { placement: placement.id, format: placement.format });
      if (placement.format === "banner") return Promise.resolve({ completed: true });
      return new Promise(function (resolve) {
        var previous = state.status;
        setStatus("ad");
        var finished = false;
        var close = null;
        function done(completed) {
          if (finished) return;
          finished = true;
          pendingAd = null;
          if (close) close();
          setStatus(previous);
          resolve({ completed: !!completed });
        }
        pendingAd = { id: placement.id, done: done };
        close = adOverlay(placement, done);
      });
    },
  };

  // --- multiplayer ------------------------------------------------------------------------------
  //
  // The player page bridges the session's websocket (/ws/multiplayer/<id>, multiplayer/README.md)
  // to the game; the game never sees the socket. parent -> game: {gf: 1, kind: "mp_frame", frame}
  // carries a server frame as it arrived (session_state, game_update, presence, player_joined,
  // player_left, chat_message, error; every one with seq and ts). game -> parent: {kind: "mp", data}
  // is a game_move, {kind: "mp_ready"} says the player is ready for the next round.
  // The old {kind: "mp", data} from the parent is still read, as a game_update of an unknown seat.

  var MP_SYSTEM_TYPES = ["state", "start", "end", "update", "presence", "joined", "left", "chat", "error"];
  var mp = {
    active: false,
    seat: null,
    isHost: false,
    players: [],
    round: 0,
    roundOver: false,
    result: null,
    turnSeat: null,
    snapshot: null,
    lastSeq: 0,
    playing: false, // a round of this session is being played in the game
    waitingReady: false,
  };
  var mpHandlers = {};
  var legacyHandlers = [];

  function mpEmit(type, args) {
    (mpHandlers[type] || []).slice().forEach(function (fn) {
      // One failing handler (logic.js may register some) must not keep the message from the others.
      try {
        fn.apply(null, args);
      } catch (err) {
        var origin = errorOrigin(err);
        reportError(errorMessage(err), origin.source || "multiplayer", origin.line);
      }
    });
  }

  function mpCopyPlayers(list) {
    if (!Array.isArray(list)) return [];
    return list.slice(0, 8).map(function (p) {
      return {
        seat: typeof p.seat === "number" ? p.seat : null,
        username: typeof p.username === "string" ? p.username.slice(0, 40) : "player",
        connected: p.connected !== false,
        ready: !!p.ready,
        isHost: !!p.is_host,
      };
    });
  }

  var multiplayer = {
    enabled: !!spec.multiplayer,
    /** Send `data` (a plain object) to everyone in the session, this player included (relayed in the server's order). */
    send: function (data) {
      if (!data || typeof data !== "object") return false;
      post({ kind: "mp", data: data });
      return true;
    },
    /**
     * on(type, fn): "update" (every game_update: fn(data, fromSeat, frame)), a data.kind the game
     * sends (fn(data, fromSeat, frame)), "state" (fn(info)), "start" (a round starts: fn(info)),
     * "end" (the round is over: fn(result)), "presence", "joined", "left", "chat", "error" (fn(frame)).
     * on(fn) is on("update", fn) with fn(data) (what logic.js's onMessage hook also gets).
     */
    on: function (type, fn) {
      if (typeof type === "function") {
        legacyHandlers.push(type);
        return true;
      }
      if (typeof type !== "string" || typeof fn !== "function") return false;
      (mpHandlers[type] = mpHandlers[type] || []).push(fn);
      return true;
    },
    /** Ready for the (next) round: the server starts it when every seated player is ready. */
    ready: function () {
      if (!mp.active) return false;
      mp.waitingReady = true;
      post({ kind: "mp_ready", ready: true });
      return true;
    },
    info: function () {
      return {
        active: mp.active,
        seat: mp.seat,
        isHost: mp.isHost,
        players: mp.players.map(function (p) {
          return Object.assign({}, p);
        }),
        round: mp.round,
        roundOver: mp.roundOver,
        result: mp.result,
        turnSeat: mp.turnSeat,
        snapshot: mp.snapshot,
      };
    },
  };

  /** The scene-facing view (this.gf.multiplayer) and GF.multiplayer: read-only fields and the three calls. */
  function multiplayerView() {
    var view = {
      send: multiplayer.send,
      on: multiplayer.on,
      ready: multiplayer.ready,
    };
    ["active", "seat", "isHost", "round", "turnSeat", "snapshot", "result"].forEach(function (name) {
      Object.defineProperty(view, name, { enumerable: true, get: function () { return mp[name]; } });
    });
    Object.defineProperty(view, "players", { enumerable: true, get: function () { return multiplayer.info().players; } });
    Object.defineProperty(view, "myTurn", { enumerable: true, get: function () { return mp.turnSeat === null || mp.turnSeat === mp.seat; } });
    return Object.freeze(view);
  }

  function mpOnFrame(frame) {
    if (!frame || typeof frame !== "object" || typeof frame.type !== "string") return;
    // The state comes first: the frames it carries as missed are older than it.
    if (frame.type === "session_state") return mpOnState(frame);
    // An error or a pong answers this player and carries the last seq it was sent: no dedup for them.
    if (typeof frame.seq === "number" && frame.type !== "error" && frame.type !== "pong") {
      // A frame seen already (a reconnect replays what was missed): once is enough.
      if (frame.seq <= mp.lastSeq) return;
      mp.lastSeq = frame.seq;
    }
    if (frame.type === "game_update") {
      var data = frame.data && typeof frame.data === "object" ? frame.data : {};
      if (data.kind === "state") mp.snapshot = data;
      var from = typeof frame.from_seat === "number" ? frame.from_seat : null;
      mpEmit("update", [data, from, frame]);
      if (typeof data.kind === "string" && MP_SYSTEM_TYPES.indexOf(data.kind) < 0) mpEmit(data.kind, [data, from, frame]);
      legacyHandlers.forEach(function (fn) {
        try {
          fn(data);
        } catch (err) {
          var origin = errorOrigin(err);
          reportError(errorMessage(err), origin.source || "multiplayer", origin.line);
        }
      });
      callHook("onMessage", [data]);
      return;
    }
    var kinds = { presence: "presence", player_joined: "joined", player_left: "left", chat_message: "chat", error: "error" };
    if (kinds[frame.type]) {
      if (frame.type === "presence" && frame.player) {
        mp.players.forEach(function (p) {
          if (p.seat === frame.player.seat) p.connected = frame.connected !== false;
        });
      }
      mpEmit(kinds[frame.type], [frame]);
      // Someone came, left or dropped: the lobby on screen shows it (a round's result stays up).
      if (scenes.ui && mp.active && !mp.playing && scenes.ui.panelKind === "lobby" && frame.type !== "chat_message" &&
        frame.type !== "error") scenes.ui.showLobby();
    }
  }

  function mpOnState(frame) {
    var you = frame.you || {};
    var wasActive = mp.active;
    var previousRound = mp.round;
    var wasOver = mp.roundOver;
    mp.active = typeof you.seat === "number";
    mp.seat = mp.active ? you.seat : null;
    mp.isHost = !!you.is_host;
    mp.players = mpCopyPlayers(frame.players);
    mp.round = typeof frame.round === "number" ? frame.round : 0;
    mp.roundOver = !!frame.round_over;
    mp.result = frame.result || null;
    mp.turnSeat = typeof frame.turn_seat === "number" ? frame.turn_seat : null;
    if (frame.snapshot !== undefined) mp.snapshot = frame.snapshot || null;
    if (!mp.active) return;
    var info = multiplayer.info();
    mpEmit("state", [info]);
    if (!scenes.ui || !scenes.play) return;
    var startsNow = mp.round > 0 && !mp.roundOver && (mp.round !== previousRound || !mp.playing);
    if (startsNow) {
      mp.playing = true;
      mp.waitingReady = false;
      scenes.ui.closePanel();
      if (state.status === "paused") scenes.play.scene.resume();
      state.score = 0;
      state.lives = spec.rules.lives;
      loadLevel(0, "ready");
      mpEmit("start", [info]);
      // Frames missed while away come after the state: the scene applies them on its snapshot.
      (frame.missed || []).forEach(mpOnFrame);
      return;
    }
    (frame.missed || []).forEach(mpOnFrame);
    if (mp.roundOver && (!wasOver || mp.playing)) {
      mp.playing = false;
      mp.waitingReady = false;
      levelEnd(!!(mp.result && mp.result.winner_seat === mp.seat));
      setStatus("over");
      mpEmit("end", [mp.result]);
      scenes.ui.showRoundOver(mp.result);
    } else if (!mp.playing && (!wasActive || state.status === "title" || state.status === "lobby")) {
      setStatus("lobby");
      scenes.ui.showLobby();
    } else if (!mp.playing && scenes.ui.panelKind === "lobby") {
      scenes.ui.showLobby();
    }
  }

  window.addEventListener("message", function (e) {
    if (!parentWindow || e.source !== parentWindow) return;
    var data = e.data;
    if (!data || data.gf !== 1) return;
    if (data.kind === "ad_result" && pendingAd && data.placement === pendingAd.id) {
      pendingAd.done(data.completed === true);
    } else if (data.kind === "mp_frame") {
      mpOnFrame(data.frame);
    } else if (data.kind === "mp") {
      mpOnFrame({ type: "game_update", from_seat: null, data: data.data });
    }
  });

  // --- game state -------------------------------------------------------------------------------

  var state = {
    status: "booting",
    levelIndex: 0,
    score: 0,
    best: 0,
    lives: spec.rules.lives,
    levelStartScore: 0,
    levelStartedAt: 0,
    timeLeft: null,
    levelEnded: false,
    continued: false,
    rival: null,
    pendingScoreDelta: 0,
  };
  var held = {};
  var scenes = { play: null, ui: null };
  var game = null;
  var drawnStep = null; // the loop's own step (update and draw), kept by GF_DEBUG.drawEvery

  // --- custom logic (logic.js) ------------------------------------------------------------------
  //
  // An LLM may write hooks for the game; generation/jscheck.py accepts them only when they touch
  // nothing but `ctx` and the sandbox API, and logic_wrap makes the script that loads after this
  // one and sets window.GF_LOGIC = hooks (read at boot). Each hook runs inside try/catch as
  // hooks.name(ctx, ...): a failure is a game_error from logic.js and the game goes on; a hook
  // that keeps failing is switched off. `ctx` hands over numbers and two actions, never a Phaser
  // object or a DOM node.

  var HOOK_NAMES = ["onStart", "onLevelStart", "onScore", "onLevelEnd", "onGameOver", "onTick", "onInput", "onMessage"];
  var HOOK_MAX_FAILURES = 5;
  var LOGIC_MAX_POINTS = 100000;
  var LOGIC_SAY_MAX_CHARS = 80;
  var logic = { source: null, hooks: {}, calls: {}, failures: {}, disabled: [], errors: 0, running: null };

  function logicLoad() {
    var source = window.GF_LOGIC;
    if (!source || typeof source !== "object") return;
    logic.source = source;
    HOOK_NAMES.forEach(function (name) {
      try {
        if (typeof source[name] === "function") logic.hooks[name] = source[name];
      } catch (err) {
        logicFailed(name, err);
      }
    });
  }

  function logicFailed(name, err) {
    logic.errors += 1;
    logic.failures[name] = (logic.failures[name] || 0) + 1;
    reportError(name + ": " + errorMessage(err), LOGIC_SCRIPT, errorOrigin(err, LOGIC_SCRIPT).line);
    if (logic.failures[name] >= HOOK_MAX_FAILURES && logic.hooks[name]) {
      delete logic.hooks[name];
      logic.disabled.push(name);
    }
  }

  /** Call hook `name` with (ctx, ...args); its result, or undefined when absent, failing or nested. */
  function callHook(name, args) {
    var fn = logic.hooks[name];
    // A hook never runs inside another (ctx.addScore does not call onScore): no loops between them.
    if (!fn || logic.running) return undefined;
    logic.calls[name] = (logic.calls[name] || 0) + 1;
    logic.running = name;
    try {
      var result = fn.apply(logic.source, [ctx].concat(args || []));
      if (result && typeof result === "object" && typeof result.then === "function") {
        // An async hook: its failure arrives later, reported the same way; its value is ignored.
        result.then(null, function (err) {
          logicFailed(name, err);
        });
        return undefined;
      }
      return result;
    } catch (err) {
      logicFailed(name, err);
      return undefined;
    } finally {
      logic.running = null;
    }
  }

  var ctx = Object.freeze({
    get level() {
      return state.levelIndex + 1;
    },
    get score() {
      return state.score;
    },
    get lives() {
      return state.lives;
    },
    get status() {
      return state.status;
    },
    get timeLeft() {
      return state.timeLeft === null ? null : Math.max(0, state.timeLeft);
    },
    /** Add (or take away) points, as the game does, without calling onScore; false if not a number. */
    addScore: function (points) {
      if (typeof points !== "number" || !isFinite(points)) return false;
      applyScore(Math.max(-LOGIC_MAX_POINTS, Math.min(LOGIC_MAX_POINTS, points)));
      return true;
    },
    /** Show a short message over the game. */
    say: function (text) {
      var line = "";
      try {
        line = String(text);
      } catch (ignored) {
        return false;
      }
      if (scenes.ui) scenes.ui.toast(line.slice(0, LOGIC_SAY_MAX_CHARS), 1200);
      return true;
    },
    /** The hooks' own memory, kept for the whole session. */
    state: {},
  });

  function setStatus(status) {
    state.status = status;
    if (scenes.ui) scenes.ui.refreshHud();
  }

  function currentLevel() {
    return spec.levels[state.levelIndex];
  }

  function flushScore() {
    if (!state.pendingScoreDelta) return;
    analytics.track("score", {
      score: state.score,
      delta: state.pendingScoreDelta,
      level: state.levelIndex + 1,
    });
    state.pendingScoreDelta = 0;
    if (multiplayer.enabled && !mp.active) multiplayer.send({ type: "score", score: state.score, level: state.levelIndex + 1 });
  }
  setInterval(flushScore, 1000);

  function levelEnd(success) {
    if (state.levelEnded) return;
    state.levelEnded = true;
    flushScore();
    var result = {
      level: state.levelIndex + 1,
      success: success,
      score: state.score,
      duration_ms: Math.round(performance.now() - state.levelStartedAt),
    };
    analytics.track("level_end", result);
    callHook("onLevelEnd", [Object.assign({}, result)]);
  }

  /** Build level `index` in the play scene; `status` is where it starts ("title" or "ready"). */
  function loadLevel(index, status) {
    state.levelIndex = index;
    state.levelStartScore = state.score;
    state.levelEnded = false;
    var level = currentLevel();
    // A multiplayer round ends when the mode says so (the host's outcome), not on the solo clock.
    var limit = mp.playing ? null : level.time_limit_s || spec.rules.time_limit_s || null;
    state.timeLeft = limit;
    held = {};
    var play = scenes.play;
    play.clearLevel();
    play.level = level;
    play.levelIndex = index;
    play.buildLevel(level, index);
    setStatus(status);
    if (status === "ready") {
      scenes.ui.toast("Level " + (index + 1), 700);
      play.time.delayedCall(700, beginLevel);
    }
  }

  function beginLevel() {
    state.levelStartedAt = performance.now();
    setStatus("playing");
    analytics.track("level_start", { level: state.levelIndex + 1 });
    if (scenes.play.onLevelStart) scenes.play.onLevelStart();
    callHook("onLevelStart", [state.levelIndex + 1]);
  }

  function startGame() {
    analytics.track("tutorial_complete", {});
    beginLevel();
  }

  function completeLevel() {
    if (state.status !== "playing") return;
    var timeBonus = state.timeLeft ? Math.floor(state.timeLeft) * spec.scoring.time_bonus_per_second : 0;
    var bonus = spec.scoring.level_bonus + timeBonus;
    addScore(bonus);
    sound.cue("level_complete");
    levelEnd(true);
    state.best = Math.max(state.best, state.score);
    var last = state.levelIndex >= spec.levels.length - 1;
    setStatus(last ? "completed" : "won");
    scenes.ui.showLevelComplete({ bonus: bonus, timeBonus: timeBonus, last: last });
  }

  function failLevel(reason) {
    if (state.status !== "playing") return;
    state.lives -= 1;
    sound.cue(state.lives > 0 ? "life_lost" : "game_over");
    levelEnd(false);
    if (state.lives > 0) {
      setStatus("lost");
      scenes.ui.showRetry(reason);
    } else {
      gameOver(reason);
    }
  }

  function gameOver(reason) {
    levelEnd(false);
    state.best = Math.max(state.best, state.score);
    setStatus("lost");
    callHook("onGameOver", [{ level: state.levelIndex + 1, score: state.score }]);
    scenes.ui.showGameOver(reason);
  }

  function loseLife(cause) {
    if (state.status !== "playing") return false;
    state.lives -= 1;
    if (state.lives <= 0) {
      state.lives = 0;
      sound.cue("game_over");
      gameOver(cause);
      return false;
    }
    sound.cue("life_lost");
    scenes.ui.refreshHud();
    scenes.ui.flash(palette.danger);
    return true;
  }

  /** The game scores `points` (at x, y): logic.js's onScore may change them first. */
  function addScore(points, x, y) {
    points = Math.round(points);
    if (!points) return;
    if (logic.hooks.onScore) {
      var changed = callHook("onScore", [points]);
      if (typeof changed === "number" && isFinite(changed)) {
        points = Math.round(Math.max(-LOGIC_MAX_POINTS, Math.min(LOGIC_MAX_POINTS, changed)));
      }
    }
    applyScore(points, x, y);
  }

  function applyScore(points, x, y) {
    points = Math.round(points);
    if (!points) return;
    state.score = Math.max(0, state.score + points);
    state.pendingScoreDelta += points;
    if (scenes.ui) {
      scenes.ui.refreshHud();
      if (typeof x === "number") scenes.ui.popScore(points, x, y);
    }
  }

  function retryLevel(freshLives) {
    if (freshLives) state.lives = spec.rules.lives;
    state.score = state.levelStartScore;
    loadLevel(state.levelIndex, "ready");
  }

  function nextLevel() {
    var interstitial = ads.due("level_complete", "interstitial");
    var go = function () {
      loadLevel(state.levelIndex + 1, "ready");
    };
    if (interstitial) ads.show(interstitial.id).then(go);
    else go();
  }

  function restartGame() {
    state.score = 0;
    state.lives = spec.rules.lives;
    state.continued = false;
    loadLevel(0, "ready");
  }

  function togglePause() {
    if (mp.playing) return; // the others play on: a multiplayer round never pauses
    if (state.status === "playing") {
      scenes.play.scene.pause();
      setStatus("paused");
      scenes.ui.showPause();
    } else if (state.status === "paused") {
      scenes.ui.closePanel();
      scenes.play.scene.resume();
      setStatus("playing");
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden && state.status === "playing" && !mp.playing) togglePause();
  });

  // --- input ------------------------------------------------------------------------------------

  var KEYS = {
    ArrowUp: "up", KeyW: "up", ArrowDown: "down", KeyS: "down", ArrowLeft: "left", KeyA: "left",
    ArrowRight: "right", KeyD: "right", Space: "primary", Enter: "primary", NumpadEnter: "primary",
  };

  function dispatchAction(action, down) {
    if (down) held[action] = true;
    else delete held[action];
    if (state.status === "playing" && down && scenes.play.onAction) scenes.play.onAction(action);
    if (state.status === "playing" && !down && scenes.play.onActionUp) scenes.play.onActionUp(action);
    if (state.status === "playing") callHook("onInput", [{ action: action, pressed: !!down }]);
  }

  // --- the API mechanics use (this.gf in a MechanicScene) ----------------------------------------------

  var api = {
    spec: spec,
    params: spec.params,
    palette: palette,
    addScore: addScore,
    loseLife: loseLife,
    completeLevel: completeLevel,
    failLevel: failLevel,
    cue: function (name) {
      sound.cue(name);
    },
    track: function (name, params) {
      return analytics.track(name, params);
    },
    held: function (action) {
      return !!held[action];
    },
    toast: function (text, ms) {
      scenes.ui.toast(text, ms || 900);
    },
    get playing() {
      return state.status === "playing";
    },
    get levelIndex() {
      return state.levelIndex;
    },
    get level() {
      return currentLevel();
    },
    get lives() {
      return state.lives;
    },
    get score() {
      return state.score;
    },
    rng: rng,
    base: spec.scoring.base_points,
    multiplayer: multiplayerView(),
  };

  // --- scenes -----------------------------------------------------------------------------------

  var BootScene = function () {
    Phaser.Scene.call(this, { key: "boot" });
  };
  BootScene.prototype = Object.create(Phaser.Scene.prototype);
  BootScene.prototype.constructor = BootScene;
  BootScene.prototype.preload = function () {
    this.load.image("bg", manifest.background);
    this.load.image("sprites", manifest.sprites);
  };
  BootScene.prototype.create = function () {
    var texture = this.textures.get("sprites");
    Object.keys(manifest.frames).forEach(function (name) {
      var r = manifest.frames[name];
      texture.add(name, 0, r[0], r[1], r[2], r[3]);
    });
    this.scene.launch("play");
    this.scene.launch("ui");
  };

  /**
   * Base class of every mechanic's scene. Override buildLevel, tick, onAction, onPointer, respawn, observe.
   * A scene that needs one of Phaser's physics engines declares `static get physics()`: the scene's
   * physics config (e.g. `{ matter: { gravity: { x: 0, y: 0 } } }`), so no other game starts one.
   */
  class MechanicScene extends Phaser.Scene {
    constructor() {
      var physics = new.target.physics;
      super(physics ? { key: "play", physics: physics } : { key: "play" });
    }

    create() {
      scenes.play = this;
      this.gf = api;
      this.spec = spec;
      this.params = spec.params;
      this.palette = palette;
      var touchBand = spec.controls.touch && (spec.controls.touch_layout === "dpad" || spec.controls.touch_layout === "buttons");
      this.area = { x: 12, y: HUD_H + 8, w: W - 24, h: H - HUD_H - 16 - (touchBand ? CONTROLS_H : 0) };
      this.add.image(W / 2, H / 2, "bg").setDisplaySize(W, H);
      this.layer = this.add.container(0, 0);
      this.swipeStart = null;
      var self = this;
      this.input.on("pointerdown", function (p) {
        self.swipeStart = { x: p.x, y: p.y, t: p.downTime };
        if (state.status === "playing" && self.onPointer) self.onPointer("down", p.x, p.y, p);
      });
      this.input.on("pointermove", function (p) {
        if (state.status === "playing" && self.onPointer) self.onPointer("move", p.x, p.y, p);
      });
      this.input.on("pointerup", function (p) {
        if (state.status === "playing" && self.onPointer) self.onPointer("up", p.x, p.y, p);
        var s = self.swipeStart;
        self.swipeStart = null;
        if (!s || state.status !== "playing" || spec.controls.touch_layout === "drag") return;
        var dx = p.x - s.x;
        var dy = p.y - s.y;
        if (Math.max(Math.abs(dx), Math.abs(dy)) < 30 || p.upTime - s.t > 700) return;
        var dir = Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? "right" : "left") : dy > 0 ? "down" : "up";
        if (self.onSwipe) self.onSwipe(dir);
        else if (self.onAction) self.onAction(dir);
      });
    }

    update(time, delta) {
      if (state.status !== "playing") return;
      var dt = Math.min(delta, 100);
      if (state.timeLeft !== null) {
        state.timeLeft -= dt / 1000;
        if (state.timeLeft <= 0) {
          state.timeLeft = 0;
          if (this.onTimeUp) this.onTimeUp();
          else failLevel("Time's up!");
          return;
        }
      }
      if (this.tick) this.tick(time, dt);
      if (state.status === "playing") callHook("onTick", [dt]);
    }

    /** Remove everything the previous level built. */
    clearLevel() {
      this.layer.removeAll(true);
      this.tweens.killAll();
      this.time.removeAllEvents();
    }

    /** A sprite-sheet frame at (x, y), scaled to `w` x `h` (h defaults to keeping the frame's ratio). */
    sprite(x, y, frame, w, h) {
      var img = this.add.image(x, y, "sprites", frame);
      if (w) img.setDisplaySize(w, h || (w * img.height) / img.width);
      this.layer.add(img);
      return img;
    }

    text(x, y, value, size, color) {
      var t = this.add.text(x, y, value, { fontFamily: FONT, fontSize: (size || 24) + "px", color: color || P.text });
      t.setOrigin(0.5);
      this.layer.add(t);
      return t;
    }

    /** Fit a cols x rows grid into the play area: {x0, y0, cell} (x0, y0 = top-left corner). */
    fitGrid(cols, rows) {
      var cell = Math.floor(Math.min(this.area.w / cols, this.area.h / rows));
      var x0 = Math.round(this.area.x + (this.area.w - cell * cols) / 2);
      var y0 = Math.round(this.area.y + (this.area.h - cell * rows) / 2);
      return { x0: x0, y0: y0, cell: cell };
    }

    /** A translucent panel behind the board, so the background never hides the game. */
    boardPanel(x, y, w, h) {
      var g = this.add.graphics();
      g.fillStyle(palette.surface, 0.85);
      g.fillRoundedRect(x - 6, y - 6, w + 12, h + 12, 10);
      this.layer.add(g);
      return g;
    }

    observe() {
      return {};
    }
  }

  /** HUD, title/tutorial, pause, level-complete, game-over screens and on-screen controls. */
  class UIScene extends Phaser.Scene {
    constructor() {
      super({ key: "ui" });
    }

    create() {
      scenes.ui = this;
      this.panel = null;
      var hudBg = this.add.graphics();
      hudBg.fillStyle(palette.surface, 0.85);
      hudBg.fillRect(0, 0, W, HUD_H - 8);
      this.scoreText = this.label(20, 22, "", 26).setOrigin(0, 0.5);
      this.levelText = this.label(W / 2, 22, "", 22);
      this.rightText = this.label(W - 136, 22, "", 22).setOrigin(1, 0.5);
      this.subText = this.label(20, 54, "", 16).setOrigin(0, 0.5).setAlpha(0.8);
      this.clockText = this.label(W / 2, 54, "", 18);
      this.pauseButton = this.button(W - 40, 38, 56, 56, "II", function () {
        if (state.status === "playing" || state.status === "paused") togglePause();
      }, 22);
      this.muteButton = this.button(W - 96, 38, 48, 56, sound.enabled ? "\u266a" : "\u00d7", function () {
        var on = sound.toggle();
        this.muteButton.label.setText(on ? "\u266a" : "\u00d7");
      }.bind(this), 22);
      this.toastText = this.label(W / 2, H * 0.42, "", 44).setAlpha(0).setDepth(20);
      this.flashRect = this.add.rectangle(W / 2, H / 2, W, H, palette.danger, 1).setAlpha(0).setDepth(19);
      this.buildControls();
      this.keyboardSetup();
      if (multiplayer.enabled) {
        multiplayer.on(function (data) {
          if (data && data.type === "score" && typeof data.score === "number") {
            state.rival = data.score;
            scenes.ui.refreshHud();
          }
        });
      }
      var self = this;
      // The play scene creates itself in the same frame: build level 1 behind the title once it exists.
      this.time.delayedCall(0, function () {
        analytics.track("session_start", { mechanic: spec.mechanic, levels: spec.levels.length });
        loadLevel(0, "title");
        self.showTitle();
        callHook("onStart", []);
        post({ kind: "ready" });
      });
    }

    update() {
      if (state.status === "playing" && state.timeLeft !== null) this.refreshClock();
    }

    label(x, y, value, size, color) {
      return this.add
        .text(x, y, value, { fontFamily: FONT, fontSize: size + "px", color: color || P.text, align: "center" })
        .setOrigin(0.5);
    }

    button(x, y, w, h, value, onPress, size) {
      var rect = this.add.rectangle(x, y, w, h, palette.primary, 0.92).setStrokeStyle(3, palette.text, 0.6);
      rect.setInteractive({ useHandCursor: true });
      var text = this.label(x, y, value, size || 26, P.background);
      rect.label = text;
      rect.on("pointerdown", function (pointer, lx, ly, event) {
        event.stopPropagation();
        onPress();
      });
      return rect;
    }

    buildControls() {
      if (!spec.controls.touch) return;
      var layout = spec.controls.touch_layout;
      var self = this;
      var makePad = function (x, y, action, glyph, w, h) {
        var r = self.add.rectangle(x, y, w || 96, h || 84, palette.surface, 0.75).setStrokeStyle(3, palette.primary, 0.9);
        r.setInteractive();
        self.label(x, y, glyph, 34);
        r.on("pointerdown", function (pointer, lx, ly, event) {
          event.stopPropagation();
          dispatchAction(action, true);
        });
        var release = function () {
          if (held[action]) dispatchAction(action, false);
        };
        r.on("pointerup", release);
        r.on("pointerout", release);
        return r;
      };
      var cy = H - CONTROLS_H / 2 - 4;
      if (layout === "dpad") {
        makePad(W / 2, cy - 64, "up", "\u25b2");
        makePad(W / 2, cy + 64, "down", "\u25bc");
        makePad(W / 2 - 120, cy, "left", "\u25c0");
        makePad(W / 2 + 120, cy, "right", "\u25b6");
      } else if (layout === "buttons") {
        makePad(90, cy, "left", "\u25c0", 150, 130);
        makePad(W - 90, cy, "right", "\u25b6", 150, 130);
        makePad(W / 2, cy, "primary", "\u25cf", 130, 130);
      }
    }

    keyboardSetup() {
      var self = this;
      this.input.keyboard.addCapture("UP,DOWN,LEFT,RIGHT,SPACE");
      this.input.keyboard.on("keydown", function (e) {
        if (e.code === "KeyP" || e.code === "Escape") {
          if (state.status === "playing" || state.status === "paused") togglePause();
          return;
        }
        if (e.code === "KeyM") {
          self.muteButton.label.setText(sound.toggle() ? "\u266a" : "\u00d7");
          return;
        }
        var action = KEYS[e.code];
        if (!action) return;
        if (state.status === "playing") {
          if (!e.repeat) dispatchAction(action, true);
        } else if (action === "primary" && self.panel && self.panel.primary && !e.repeat) {
          self.panel.primary();
        }
      });
      this.input.keyboard.on("keyup", function (e) {
        var action = KEYS[e.code];
        if (action && held[action]) dispatchAction(action, false);
      });
    }

    refreshHud() {
      this.scoreText.setText("Score " + state.score);
      this.levelText.setText("Level " + (state.levelIndex + 1) + "/" + spec.levels.length);
      this.rightText.setText("\u2665 " + state.lives);
      var sub = state.best ? "Best " + state.best : "";
      if (state.rival !== null) sub += (sub ? "   " : "") + "Rival " + state.rival;
      this.subText.setText(sub);
      this.refreshClock();
    }

    refreshClock() {
      if (state.timeLeft === null) {
        this.clockText.setText("");
        return;
      }
      var s = Math.ceil(state.timeLeft);
      this.clockText.setText("Time " + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"));
      this.clockText.setColor(s <= 5 ? P.danger : P.text);
    }

    toast(value, ms) {
      this.toastText.setText(value).setAlpha(1);
      this.tweens.killTweensOf(this.toastText);
      this.tweens.add({ targets: this.toastText, alpha: 0, delay: ms, duration: 300 });
    }

    flash(color) {
      this.flashRect.setFillStyle(color, 1).setAlpha(0.35);
      this.tweens.add({ targets: this.flashRect, alpha: 0, duration: 250 });
    }

    popScore(points, x, y) {
      var t = this.label(x, y, (points > 0 ? "+" : "") + points, 22, P.accent).setDepth(18);
      this.tweens.add({
        targets: t, y: y - 40, alpha: 0, duration: 600, onComplete: function () { t.destroy(); },
      });
    }

    closePanel() {
      if (this.panel) {
        this.panel.container.destroy(true);
        this.panel = null;
      }
      this.panelKind = null;
    }

    /** Who plays in this session, who is ready; Ready starts the round once everyone is. */
    showLobby() {
      var lines = mp.players.map(function (p) {
        var tags = [];
        if (p.isHost) tags.push("host");
        if (p.seat === mp.seat) tags.push("you");
        if (!p.connected) tags.push("away");
        else if (p.ready) tags.push("ready");
        return "Seat " + (p.seat + 1) + ": " + p.username + (tags.length ? " (" + tags.join(", ") + ")" : "");
      });
      lines.push("");
      var buttons = [];
      if (mp.waitingReady) {
        lines.push("Waiting for the other players\u2026");
      } else {
        lines.push("Press Ready when you are");
        buttons.push(["Ready \u25b6", function () {
          multiplayer.ready();
          scenes.ui.showLobby();
        }]);
      }
      this.showPanel(spec.title + ": together", lines, buttons, { kind: "lobby" });
    }

    /** The round's result (decided by the host or the server), and a rematch. */
    showRoundOver(result) {
      result = result || {};
      var winner = typeof result.winner_seat === "number" ? result.winner_seat : null;
      var name = function (seat) {
        for (var i = 0; i < mp.players.length; i++) if (mp.players[i].seat === seat) return mp.players[i].username;
        return "Seat " + (seat + 1);
      };
      var title = winner === null ? "A draw!" : winner === mp.seat ? "You win!" : name(winner) + " wins";
      var lines = [];
      var scores = result.scores && typeof result.scores === "object" ? result.scores : {};
      Object.keys(scores).slice(0, 8).forEach(function (seat) {
        lines.push(name(Number(seat)) + ": " + scores[seat]);
      });
      if (mp.waitingReady) lines.push("Waiting for the other players\u2026");
      var buttons = mp.waitingReady ? [] : [["Rematch \u25b6", function () {
        multiplayer.ready();
        scenes.ui.showRoundOver(mp.result);
      }]];
      this.showPanel(title, lines, buttons, { kind: "round_over" });
    }

    /** A modal screen: dimmed backdrop, a card with a title, lines and buttons; Space/Enter = first button. */
    showPanel(title, lines, buttons, options) {
      this.closePanel();
      // A toast still fading ("Par!", "Combo x3") would be drawn over the panel's title.
      this.tweens.killTweensOf(this.toastText);
      this.toastText.setAlpha(0);
      options = options || {};
      var c = this.add.container(0, 0).setDepth(10);
      var dim = this.add.rectangle(W / 2, H / 2, W, H, 0x000000, 0.55).setInteractive();
      dim.on("pointerdown", function (pointer, lx, ly, event) {
        event.stopPropagation();
        if (options.tapAnywhere && buttons.length) buttons[0][1]();
      });
      c.add(dim);
      var card = this.add.graphics();
      c.add(card);
      var self = this;
      // Lay the texts out first (wrapped lines have their own height), then size the card around them.
      var heading = this.label(W / 2, 0, title, 34, P.text).setWordWrapWidth(W - 130).setOrigin(0.5, 0);
      c.add(heading);
      var texts = lines.map(function (line) {
        var t = self.label(W / 2, 0, line, 19, P.text).setWordWrapWidth(W - 130).setOrigin(0.5, 0);
        c.add(t);
        return t;
      });
      var contentH = heading.height + 24;
      texts.forEach(function (t) {
        contentH += Math.max(t.height, 12) + 8;
      });
      var cardH = 48 + contentH + 20 + buttons.length * 86;
      var top = Math.max(HUD_H + 4, (H - cardH) / 2);
      card.fillStyle(palette.surface, 0.97);
      card.lineStyle(4, palette.primary, 1);
      card.fillRoundedRect(40, top, W - 80, cardH, 18);
      card.strokeRoundedRect(40, top, W - 80, cardH, 18);
      var y = top + 36;
      heading.setY(y);
      y += heading.height + 24;
      texts.forEach(function (t) {
        t.setY(y);
        y += Math.max(t.height, 12) + 8;
      });
      y += 20 + 33;
      buttons.forEach(function (b) {
        var btn = self.button(W / 2, y, W - 160, 66, b[0], b[1], 26);
        c.add(btn);
        c.add(btn.label);
        y += 86;
      });
      if (options.banner) {
        // The placement's ad slot, as a banner of a real network looks: a framed strip with an "Ad" tag.
        var slot = this.add.graphics();
        slot.fillStyle(palette.surface, 0.96);
        slot.lineStyle(2, palette.secondary, 0.9);
        slot.fillRoundedRect(16, H - 76, W - 32, 64, 10);
        slot.strokeRoundedRect(16, H - 76, W - 32, 64, 10);
        slot.fillStyle(palette.accent, 1);
        slot.fillRoundedRect(28, H - 58, 40, 26, 6);
        var tag = this.label(48, H - 45, "Ad", 15, P.background);
        var pitch = this.label(W / 2 + 24, H - 45, "More mini-games like this on GameFactory", 17, P.text);
        c.add(slot);
        c.add(tag);
        c.add(pitch);
        ads.show(options.banner.id);
      }
      this.panel = { container: c, primary: buttons.length ? buttons[0][1] : null };
      this.panelKind = options.kind || null;
    }

    showTitle() {
      if (mp.active) {
        setStatus("lobby");
        this.showLobby();
        return;
      }
      setStatus("title");
      analytics.track("tutorial_begin", {});
      var lines = spec.tutorial.length ? spec.tutorial.slice() : [spec.rules.win];
      lines.push("");
      lines.push("Goal: " + spec.rules.win);
      this.showPanel(spec.title, lines, [["Play \u25b6", function () {
        scenes.ui.closePanel();
        startGame();
      }]], { tapAnywhere: true, banner: ads.due("title", "banner") });
    }

    showLevelComplete(info) {
      var self = this;
      var lines = ["Score " + state.score, "Level bonus +" + (info.bonus - info.timeBonus)];
      if (info.timeBonus) lines.push("Time bonus +" + info.timeBonus);
      var buttons = [];
      if (info.last) {
        buttons.push(["Play again", function () {
          self.closePanel();
          restartGame();
        }]);
      } else {
        buttons.push(["Next level \u25b6", function () {
          self.closePanel();
          nextLevel();
        }]);
      }
      var rewarded = ads.find("level_complete", "rewarded");
      if (rewarded && !info.last) {
        buttons.push(["Watch ad: double bonus", function () {
          ads.show(rewarded.id).then(function (r) {
            if (r.completed) addScore(info.bonus);
            self.closePanel();
            nextLevel();
          });
        }]);
      }
      var title = info.last ? "You beat all " + spec.levels.length + " levels!" : "Level " + (state.levelIndex + 1) + " complete!";
      this.showPanel(title, lines, buttons, { banner: ads.due("level_complete", "banner") });
    }

    showRetry(reason) {
      var self = this;
      this.showPanel(reason || "Try again", ["Lives left: " + state.lives, "Score " + state.score], [["Try again", function () {
        self.closePanel();
        retryLevel(false);
      }]]);
    }

    showGameOver(reason) {
      var self = this;
      var buttons = [["Retry level " + (state.levelIndex + 1), function () {
        self.closePanel();
        retryLevel(true);
      }]];
      var rewarded = ads.find("game_over", "rewarded");
      if (rewarded && !state.continued) {
        buttons.push(["Watch ad: continue", function () {
          ads.show(rewarded.id).then(function (r) {
            self.closePanel();
            if (r.completed) {
              state.continued = true;
              state.lives = 1;
              retryLevel(false);
            } else {
              self.showGameOver(reason);
            }
          });
        }]);
      }
      buttons.push(["Restart game", function () {
        self.closePanel();
        restartGame();
      }]);
      var lines = [reason || "", "Score " + state.score, "Best " + state.best];
      this.showPanel("Game over", lines, buttons, { banner: ads.due("game_over", "banner") });
    }

    showPause() {
      var self = this;
      this.showPanel("Paused", ["P or Esc resumes", "M turns the sound " + (sound.enabled ? "off" : "on")], [
        ["Resume", function () {
          togglePause();
        }],
        ["Restart level", function () {
          self.closePanel();
          scenes.play.scene.resume();
          state.status = "playing";
          levelEnd(false);
          retryLevel(false);
        }],
      ]);
    }
  }

  // --- registration and boot -------------------------------------------------------------------

  var mechanics = {};

  window.GF = Object.freeze({
    version: 1,
    spec: spec,
    palette: palette,
    width: W,
    height: H,
    MechanicScene: MechanicScene,
    // Frozen: neither a mechanic nor logic.js can swap the channel out for something else.
    analytics: Object.freeze({ track: analytics.track }),
    ads: Object.freeze({ show: ads.show }),
    multiplayer: api.multiplayer,
    sound: Object.freeze({ play: sound.play.bind(sound), cue: sound.cue.bind(sound) }),
    rng: rng,
    registerMechanic: function (slug, SceneClass) {
      mechanics[slug] = SceneClass;
    },
  });

  // Read-only information for the playtest bots: what is on screen, never a way to change it;
  // and one knob of the playtest's own cost, how often the canvas is drawn (drawEvery).
  Object.defineProperty(window, "GF_DEBUG", {
    value: Object.freeze({
      get scene() {
        return scenes.play ? spec.mechanic : null;
      },
      get mechanic() {
        return spec.mechanic;
      },
      get level() {
        return state.levelIndex + 1;
      },
      get score() {
        return state.score;
      },
      get lives() {
        return state.lives;
      },
      get status() {
        return state.status;
      },
      get timeLeft() {
        return state.timeLeft;
      },
      get fps() {
        return game ? Math.round(game.loop.actualFps * 10) / 10 : 0;
      },
      get events() {
        return eventLog.slice();
      },
      /** The multiplayer session as the game sees it (seat, players, round, turn, result). */
      get multiplayer() {
        return debugCopy(multiplayer.info());
      },
      /** logic.js: which hooks it has, how often each ran, failures, hooks switched off. */
      get logic() {
        return {
          loaded: logic.source !== null,
          hooks: Object.keys(logic.hooks).concat(logic.disabled).sort(),
          calls: Object.assign({}, logic.calls),
          errors: logic.errors,
          disabled: logic.disabled.slice(),
          state: debugCopy(ctx.state),
        };
      },
      observe: function () {
        var play = scenes.play;
        return play && play.observe ? JSON.parse(JSON.stringify(play.observe())) : {};
      },
      /**
       * Draw the canvas on one frame in `n` (1: every frame, as a player sees it). The game's
       * update still runs on every frame with the same time steps, so what the game does is
       * unchanged; only the drawing is skipped. The playtest's bots read observe(), not pixels,
       * and it has the next frame drawn before each screenshot. Returns the n in force.
       */
      drawEvery: function (n) {
        n = Math.max(1, Math.min(10, Math.floor(Number(n)) || 1));
        if (!game || !game.loop || !game.loop.callback) return 1;
        var loop = game.loop;
        if (!drawnStep) drawnStep = loop.callback;
        var frame = 0;
        loop.callback =
          n === 1
            ? drawnStep
            : function (time, delta) {
                if (frame++ % n === 0) drawnStep(time, delta);
                else game.headlessStep(time, delta);
              };
        return n;
      },
    }),
    writable: false,
    configurable: false,
  });

  function debugCopy(value) {
    try {
      return JSON.parse(JSON.stringify(value));
    } catch (ignored) {
      return null; // cyclic, or a BigInt: not for the debugger
    }
  }

  function boot() {
    document.body.style.background = P.background;
    logicLoad();
    var Mechanic = mechanics[spec.mechanic];
    if (!Mechanic) throw new Error("GameFactory: mechanic " + spec.mechanic + " is not loaded");
    game = new Phaser.Game({
      type: Phaser.CANVAS,
      parent: "gf-game",
      width: W,
      height: H,
      backgroundColor: P.background,
      banner: false,
      pixelArt: spec.theme.art_style === "pixel",
      scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH },
      loader: { imageLoadType: "HTMLImageElement" },
      audio: { disableWebAudio: true },
      input: { activePointers: 2 },
      scene: [BootScene, Mechanic, UIScene],
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
