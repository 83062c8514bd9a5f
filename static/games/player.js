/* The player page's side of the sandbox.
 *
 * The game runs in <iframe sandbox="allow-scripts"> (an opaque origin, no network by CSP) and
 * talks to this page only with postMessage:
 *   game -> page: {gf: 1, kind: "analytics", event: {name, params, ts}}, {gf: 1, kind: "ad", placement},
 *                 {gf: 1, kind: "mp", data}, {gf: 1, kind: "ready"}
 *   page -> game: {gf: 1, kind: "ad_result", placement, completed: true}, {gf: 1, kind: "mp", data}
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
    // "mp": no multiplayer session is open on this page; the message is dropped.
  };

  Player.prototype.onReady = function () {
    this.ready = true;
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
