/* The player page's side of the sandbox.
 *
 * The game runs in <iframe sandbox="allow-scripts"> (an opaque origin, no network by CSP) and
 * talks to this page only with postMessage:
 *   game -> page: {gf: 1, kind: "analytics", event: {name, params, ts}}, {gf: 1, kind: "ad", placement},
 *                 {gf: 1, kind: "mp", data}, {gf: 1, kind: "ready"}
 *                 {gf: 1, kind: "mp_ready"}
 *   page -> game: {gf: 1, kind: "ad_result", placement, completed: true}, {gf: 1, kind: "mp_frame", frame}
 * Messages from anything but this page's own game frame are ignored.
 *
 * What this page does with them:
 * - "ready" starts a play (POST /api/v1/games/<id>/play); level ends and leaving the page record
 *   its duration, best score and completion (leaving uses navigator.sendBeacon).
 * - analytics events go to the analytics ingestion (POST /api/v1/events with the game's public
 *   ingest key) in batches: every few seconds or when enough are waiting, retried with backoff,
 *   and flushed with sendBeacon when the page is hidden or left.
 * - ads are simulated: the game is told the ad completed after a short pause. In the studio's
 *   preview (data-mode="test") no ad is shown: the game is told at once.
 * - plays: a reload within the play session continues the play (the server says `resumed`); the
 *   studio's preview records the creator's tests (`test: true`), which are not plays.
 * - multiplayer: with data-mp-ws="/ws/multiplayer/<id>" on the root, this page holds the session's
 *   websocket (session cookie auth) and bridges it: the game's "mp" becomes a game_move, "mp_ready" a
 *   ready; every server frame goes to the game as "mp_frame" (without the session's JSON). A dropped
 *   socket reconnects with ?last_seq= (the server keeps the seat for its grace period). The page
 *   around the player hears of it all through "gf:mp" DOM events on the root ({kind, frame}).
 * - the frame is sized to fit the window (9:16, as tall as the window allows), so the whole game,
 *   its on-screen controls included, is in view.
 */
(function () {
  "use strict";

  var FLUSH_EVERY_MS = 4000;
  var FLUSH_AT = 20;
  var MAX_QUEUE = 1000;
  var MAX_BATCH = 100;
  var MAX_BACKOFF_MS = 60000;
  var AD_PAUSE_MS = 800;
  // The frame fits below the page's top when that leaves it at least this share of the window,
  // else it takes the window's height (scrolled to, it is all in view).
  var FIT_MIN_SHARE = 0.55;
  var FIT_MARGIN_PX = 16;
  var FIT_MIN_PX = 240;
  // Where the runtime's params and the ingestion taxonomy name the same thing differently.
  var PARAM_ALIASES = {
    score: { score: "value" },
    ad_impression: { format: "ad_type" },
  };

  function uuid4() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function anonymousId() {
    var key = "gf.player";
    try {
      var id = window.localStorage.getItem(key);
      if (!id) { id = uuid4(); window.localStorage.setItem(key, id); }
      return id;
    } catch (e) {
      return uuid4();
    }
  }

  // Listening starts as soon as this script runs (it is loaded before the game's frame).
  var players = [];
  var early = [];
  window.addEventListener("message", function (e) {
    if (!players.length) { if (early.length < 100) early.push(e); return; }
    players.forEach(function (p) { p.onMessage(e); });
  });

  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  function Player(root) {
    this.root = root;
    this.frame = root.querySelector("iframe");
    this.cfg = root.dataset;
    this.status = root.querySelector("[data-player-status]");
    this.signedIn = this.cfg.signedIn === "1";
    this.test = this.cfg.mode === "test";
    this.baseDuration = 0;
    this.anonymousId = anonymousId();
    this.sessionId = uuid4();
    this.play = null;
    this.playStarting = false;
    this.startedAt = null;
    this.bestScore = null;
    this.completed = false;
    this.queue = [];
    this.sent = 0;
    this.rejected = 0;
    this.backoff = 0;
    this.retryAt = 0;
    this.inFlight = false;
    this.ready = false;
    this.mp = null;
    var analytics = document.getElementById("gf-analytics");
    this.analytics = analytics ? JSON.parse(analytics.textContent) : null;
    this.standard = {};
    if (this.analytics) {
      var self = this;
      (this.analytics.standard_events || []).forEach(function (e) { self.standard[e.name || e] = e; });
    }
    this.bind();
  }

  Player.prototype.bind = function () {
    var self = this;
    players.push(this);
    // Messages that came before this page's script was ready (a fast game says "ready" early).
    early.forEach(function (e) { self.onMessage(e); });
    this.timer = window.setInterval(function () { self.flush(false); }, FLUSH_EVERY_MS);
    window.addEventListener("pagehide", function () { self.leave(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") self.leave();
    });
    if (this.cfg.mpWs) this.mpConnect(this.cfg.mpWs);
    this.fit();
    var refit = function () { self.fit(); };
    window.addEventListener("resize", refit);
    window.addEventListener("orientationchange", refit);
    document.addEventListener("fullscreenchange", refit);
    var fs = this.root.querySelector("[data-fullscreen]");
    if (fs) {
      fs.addEventListener("click", function () {
        var el = self.root;
        if (document.fullscreenElement) document.exitFullscreen();
        else if (el.requestFullscreen) el.requestFullscreen();
      });
    }
  };

  Player.prototype.say = function (text) { if (this.status) this.status.textContent = text; };

  /* The frame's height (CSS var --gf-player-h; the stylesheet keeps it 9:16 and within the page's
     width): what is left of the window below the player, or the whole window when that is too little. */
  Player.prototype.fit = function () {
    var bar = this.root.querySelector(".player-bar");
    var barHeight = bar ? bar.offsetHeight : 0;
    var windowHeight = window.innerHeight || document.documentElement.clientHeight;
    var top = this.root.getBoundingClientRect().top + (window.scrollY || 0);
    var room = windowHeight - top - barHeight - FIT_MARGIN_PX;
    var height = room >= windowHeight * FIT_MIN_SHARE ? room : windowHeight - barHeight - FIT_MARGIN_PX;
    this.root.style.setProperty("--gf-player-h", Math.max(FIT_MIN_PX, Math.floor(height)) + "px");
  };

  function setCount(selector, count, noun) {
    var node = document.querySelector(selector);
    if (!node || typeof count !== "number") return;
    node.setAttribute(selector.slice(1, -1), String(count));
    node.textContent = count + " " + noun + (count === 1 ? "" : "s") + (noun === "test" ? " by you" : "");
  }

  Player.prototype.onMessage = function (e) {
    if (!this.frame || e.source !== this.frame.contentWindow) return;
    var msg = e.data;
    if (!isObject(msg) || msg.gf !== 1 || typeof msg.kind !== "string") return;
    if (msg.kind === "ready") this.onReady();
    else if (msg.kind === "analytics") this.onEvent(msg.event);
    else if (msg.kind === "ad") this.onAd(msg.placement);
    // Without a session open on this page the game's multiplayer messages are dropped.
    else if (msg.kind === "mp" && this.mp && isObject(msg.data)) this.mpSend({ type: "game_move", data: msg.data });
    else if (msg.kind === "mp_ready" && this.mp) this.mpSend({ type: "ready", ready: true });
  };

  // --- multiplayer -------------------------------------------------------------------------------

  var MP_RETRY_MS = [300, 1000, 2000, 4000, 8000];
  // Closes after which reconnecting cannot help: not signed in, not seated, no such session, a
  // newer socket of the same player (another tab) took the seat, the session ended.
  var MP_FINAL_CLOSES = [4401, 4403, 4404, 4409, 4410];
  var MP_OUTBOX_MAX = 50;

  Player.prototype.mpConnect = function (path) {
    if (this.mp) this.mpClose();
    this.mp = { path: String(path), socket: null, lastSeq: 0, state: null, tries: 0, closed: false, outbox: [] };
    this.mpOpen();
  };

  Player.prototype.mpOpen = function () {
    var mp = this.mp;
    var self = this;
    var url = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + mp.path;
    if (mp.lastSeq) url += (mp.path.indexOf("?") < 0 ? "?" : "&") + "last_seq=" + mp.lastSeq;
    var ws = new WebSocket(url);
    mp.socket = ws;
    ws.onopen = function () {
      mp.tries = 0;
      self.mpEmit("open", null);
      var waiting = mp.outbox.splice(0);
      waiting.forEach(function (m) { ws.send(JSON.stringify(m)); });
    };
    ws.onmessage = function (e) {
      if (typeof e.data !== "string") return;
      var frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      if (isObject(frame) && typeof frame.type === "string") self.mpFrame(frame);
    };
    ws.onclose = function (e) {
      if (mp.socket === ws) mp.socket = null;
      self.mpEmit("close", { code: e.code });
      if (mp.closed || self.mp !== mp || MP_FINAL_CLOSES.indexOf(e.code) >= 0) return;
      var wait = MP_RETRY_MS[Math.min(mp.tries, MP_RETRY_MS.length - 1)];
      mp.tries += 1;
      window.setTimeout(function () { if (!mp.closed && self.mp === mp) self.mpOpen(); }, wait);
    };
  };

  /** Drop the socket now (as a lost connection does): it reconnects unless `forGood`. */
  Player.prototype.mpDrop = function (forGood) {
    if (!this.mp || !this.mp.socket) return;
    if (forGood) this.mp.closed = true;
    this.mp.socket.close();
  };

  Player.prototype.mpClose = function () { this.mpDrop(true); this.mp = null; };

  Player.prototype.mpFrame = function (frame) {
    var mp = this.mp;
    if (typeof frame.seq === "number") mp.lastSeq = Math.max(mp.lastSeq, frame.seq);
    (frame.missed || []).forEach(function (m) { if (isObject(m) && typeof m.seq === "number") mp.lastSeq = Math.max(mp.lastSeq, m.seq); });
    if (frame.type === "session_state") mp.state = frame;
    this.mpEmit("frame", frame);
    this.mpToGame(frame);
  };

  Player.prototype.mpToGame = function (frame) {
    if (!this.ready || !this.frame.contentWindow) return;
    var copy = {};
    // The game needs seats, names and moves, not the session's links and ids.
    Object.keys(frame).forEach(function (k) { if (k !== "session") copy[k] = frame[k]; });
    this.frame.contentWindow.postMessage({ gf: 1, kind: "mp_frame", frame: copy }, "*");
  };

  Player.prototype.mpSend = function (message) {
    var mp = this.mp;
    if (!mp) return false;
    if (mp.socket && mp.socket.readyState === 1) mp.socket.send(JSON.stringify(message));
    else if (mp.outbox.length < MP_OUTBOX_MAX) mp.outbox.push(message);
    return true;
  };

  Player.prototype.mpEmit = function (kind, frame) {
    this.root.dispatchEvent(new CustomEvent("gf:mp", { detail: { kind: kind, frame: frame } }));
  };

  Player.prototype.onReady = function () {
    this.ready = true;
    // The session's state came before the game could hear it: now it can.
    if (this.mp && this.mp.state) this.mpToGame(this.mp.state);
    this.say("Playing");
    this.startPlay();
  };

  Player.prototype.api = function (body) {
    return fetch(this.cfg.playApi, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.cfg.csrf },
      body: JSON.stringify(body),
    });
  };

  Player.prototype.startPlay = function () {
    if (this.play || this.playStarting) return;
    var self = this;
    this.playStarting = true;
    this.startedAt = Date.now();
    var body = this.signedIn ? {} : { anonymous_id: this.anonymousId };
    if (this.test) body.test = true;
    this.api(body)
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        self.playStarting = false;
        if (!data) return;
        self.play = data.id;
        // A reload continues the play: its time so far is kept.
        self.baseDuration = data.resumed ? data.duration_ms || 0 : 0;
        if (!self.test) setCount("[data-play-count]", data.play_count, "play");
        else if (!data.resumed) {
          var tests = document.querySelector("[data-test-count]");
          if (tests) setCount("[data-test-count]", Number(tests.getAttribute("data-test-count")) + 1, "test");
        }
      })
      .catch(function () { self.playStarting = false; });
  };

  Player.prototype.playUpdate = function () {
    var body = { play_id: this.play, duration_ms: this.baseDuration + Math.max(0, Date.now() - this.startedAt), completed: this.completed };
    if (this.bestScore !== null) body.score = this.bestScore;
    if (!this.signedIn) body.anonymous_id = this.anonymousId;
    return body;
  };

  Player.prototype.savePlay = function () {
    if (!this.play) return;
    this.api(this.playUpdate()).catch(function () {});
  };

  Player.prototype.onEvent = function (event) {
    if (!isObject(event) || typeof event.name !== "string" || !event.name || event.name.length > 64) return;
    var params = isObject(event.params) ? event.params : {};
    var score = typeof params.score === "number" ? params.score : (event.name === "score" ? params.value : undefined);
    if (typeof score === "number" && isFinite(score)) {
      score = Math.round(score);
      this.bestScore = this.bestScore === null ? score : Math.max(this.bestScore, score);
    }
    if (event.name === "level_end") {
      if (params.success === true) this.completed = true;
      this.savePlay();
    }
    this.enqueue(event.name, params, event.ts);
  };

  /* One game event as the ingestion expects it: standard events keep only their taxonomy's
     params (after the aliases); anything else is a design:<name> event with its params. */
  Player.prototype.toIngest = function (name, params) {
    var spec = this.standard[name];
    if (spec && spec.params) {
      var aliases = PARAM_ALIASES[name] || {};
      var allowed = {};
      spec.params.forEach(function (p) { allowed[p.name] = p; });
      var out = {};
      Object.keys(params).forEach(function (k) {
        var target = aliases[k] || k;
        if (allowed[target] && !(target in out)) out[target] = params[k];
      });
      var complete = spec.params.every(function (p) { return !p.required || out[p.name] !== undefined; });
      if (complete) return { name: name, params: out };
    } else if (name.indexOf("design:") === 0) {
      return { name: name, params: params };
    }
    var safe = name.replace(/[^A-Za-z0-9_.:-]/g, "_").slice(0, 57);
    return { name: "design:" + safe, params: params };
  };

  Player.prototype.enqueue = function (name, params, ts) {
    if (!this.analytics) return;
    var mapped = this.toIngest(name, params);
    this.queue.push({
      id: uuid4(),
      name: mapped.name,
      ts: typeof ts === "number" && isFinite(ts) ? Math.round(ts) : Date.now(),
      player_id: this.cfg.playerId || this.anonymousId,
      session_id: this.sessionId,
      platform: "web",
      build: String(this.cfg.build || ""),
      params: mapped.params,
    });
    if (this.queue.length > MAX_QUEUE) this.queue.splice(0, this.queue.length - MAX_QUEUE);
    if (this.queue.length >= FLUSH_AT) this.flush(false);
  };

  Player.prototype.flush = function (force) {
    if (!this.analytics || !this.queue.length || this.inFlight) return;
    if (!force && Date.now() < this.retryAt) return;
    var self = this;
    var batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight = true;
    fetch(this.analytics.url, {
      method: "POST",
      credentials: "omit",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-Ingest-Key": this.analytics.key },
      body: JSON.stringify({ events: batch }),
    })
      .then(function (r) {
        self.inFlight = false;
        if (r.status === 429 || r.status >= 500) throw new Error("retry");
        // 2xx: stored or judged one by one; other 4xx: this batch will never be accepted.
        self.backoff = 0;
        self.retryAt = 0;
        if (r.ok) {
          return r.json().then(function (body) {
            self.sent += body.accepted || 0;
            self.rejected += (body.rejected || []).length;
          });
        }
        self.rejected += batch.length;
      })
      .catch(function () {
        self.inFlight = false;
        self.queue = batch.concat(self.queue).slice(0, MAX_QUEUE);
        self.backoff = Math.min(MAX_BACKOFF_MS, self.backoff ? self.backoff * 2 : 1000);
        self.retryAt = Date.now() + self.backoff;
      });
  };

  Player.prototype.leave = function () {
    if (!navigator.sendBeacon) return;
    if (this.analytics && this.queue.length) {
      var url = this.analytics.url + "?key=" + encodeURIComponent(this.analytics.key);
      while (this.queue.length) {
        var batch = this.queue.splice(0, MAX_BATCH);
        var blob = new Blob([JSON.stringify({ events: batch })], { type: "text/plain" });
        if (!navigator.sendBeacon(url, blob)) { this.queue = batch.concat(this.queue); break; }
      }
    }
    if (this.play) {
      var form = new URLSearchParams();
      var update = this.playUpdate();
      Object.keys(update).forEach(function (k) { form.append(k, String(update[k])); });
      form.append("csrfmiddlewaretoken", this.cfg.csrf);
      navigator.sendBeacon(this.cfg.playApi, form);
    }
  };

  Player.prototype.onAd = function (placement) {
    if (typeof placement !== "string") return;
    var frame = this.frame;
    if (this.test) {
      // The creator's preview shows no ads: the game goes on at once.
      if (frame.contentWindow) frame.contentWindow.postMessage({ gf: 1, kind: "ad_result", placement: placement, completed: true }, "*");
      return;
    }
    this.say("Ad: " + placement);
    var self = this;
    window.setTimeout(function () {
      if (frame.contentWindow) frame.contentWindow.postMessage({ gf: 1, kind: "ad_result", placement: placement, completed: true }, "*");
      self.say("Playing");
    }, AD_PAUSE_MS);
  };

  Player.prototype.state = function () {
    return {
      ready: this.ready, play: this.play, bestScore: this.bestScore, completed: this.completed, test: this.test,
      queued: this.queue.length, sent: this.sent, rejected: this.rejected,
    };
  };

  function init(scope) {
    var roots = [];
    if (scope && scope.matches && scope.matches("[data-gf-player]")) roots.push(scope);
    if (scope && scope.querySelectorAll) roots = roots.concat(Array.prototype.slice.call(scope.querySelectorAll("[data-gf-player]")));
    roots.forEach(function (root) {
      if (root.gfPlayer) return;
      root.gfPlayer = new Player(root);
      window.GF_PLAYER = root.gfPlayer;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(document); });
  else init(document);
  document.addEventListener("htmx:load", function (e) { init(e.detail && e.detail.elt); });
})();
