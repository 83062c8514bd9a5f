/* The room of a multiplayer session: who is in (live), ready, the round's state, the share link.
 *
 * The session's websocket is the player's (static/games/player.js, data-mp-ws on its root): it
 * bridges the game and reports every frame here as a "gf:mp" event ({kind: "frame"|"open"|"close",
 * frame}). "Ready" sends {type: "ready"} on that socket (the game's own Ready and Rematch buttons do too).
 */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function Room(root) {
    this.root = root;
    this.player = document.querySelector("[data-gf-player]");
    this.list = root.querySelector("[data-players]");
    this.status = root.querySelector("[data-room-status]");
    this.count = root.querySelector("[data-count]");
    this.readyButton = root.querySelector("[data-ready]");
    this.players = {};
    this.state = null;
    this.connected = false;
    var self = this;
    if (this.player) {
      this.player.addEventListener("gf:mp", function (e) { self.onEvent(e.detail || {}); });
    }
    if (this.readyButton) {
      this.readyButton.addEventListener("click", function () { self.ready(); });
    }
    var copy = root.querySelector("[data-copy]");
    var share = root.querySelector("[data-share-url]");
    if (copy && share) {
      copy.addEventListener("click", function () {
        share.select();
        var done = function () { copy.textContent = "Copied"; };
        if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(share.value).then(done, function () {});
        else { try { document.execCommand("copy"); done(); } catch (err) { /* select() left it selected */ } }
      });
    }
  }

  Room.prototype.ready = function () {
    var gf = this.player && this.player.gfPlayer;
    if (!gf || !gf.mpSend({ type: "ready", ready: true })) return;
    this.readyButton.disabled = true;
    this.readyButton.textContent = "Waiting for the others…";
  };

  Room.prototype.onEvent = function (detail) {
    if (detail.kind === "open") { this.connected = true; this.render(); return; }
    if (detail.kind === "close") {
      this.connected = false;
      var code = detail.frame && detail.frame.code;
      this.say(code === 4409 ? "This session is open in another tab." : code === 4403 || code === 4404 ? "You are not in this session any more." : "Connection lost: reconnecting…");
      return;
    }
    var frame = detail.frame;
    if (!frame || typeof frame.type !== "string") return;
    if (frame.type === "session_state") {
      this.state = frame;
      this.players = {};
      var self = this;
      (frame.players || []).forEach(function (p) { self.players[p.seat] = p; });
    } else if ((frame.type === "player_joined" || frame.type === "presence") && frame.player) {
      var p = this.players[frame.player.seat] || {};
      Object.keys(frame.player).forEach(function (k) { p[k] = frame.player[k]; });
      if (frame.type === "presence") p.connected = frame.connected !== false;
      this.players[frame.player.seat] = p;
    } else if (frame.type === "player_left" && frame.player) {
      delete this.players[frame.player.seat];
    } else if (frame.type === "error") {
      this.say(frame.message || "The server refused that.");
      return;
    } else {
      return;
    }
    this.render();
  };

  Room.prototype.say = function (text) { if (this.status) this.status.textContent = text; };

  Room.prototype.render = function () {
    var s = this.state;
    var self = this;
    var seats = Object.keys(this.players).map(Number).sort(function (a, b) { return a - b; });
    if (this.list) {
      this.list.textContent = "";
      seats.forEach(function (seat) {
        var p = self.players[seat];
        var li = el("li");
        li.setAttribute("data-seat", String(seat));
        li.className = (p.connected === false ? "away" : "here") + (p.ready ? " ready" : "");
        li.appendChild(el("span", "dot"));
        li.appendChild(document.createTextNode(" " + (p.username || "player")));
        if (p.is_host) li.appendChild(el("span", "badge", "host"));
        if (s && s.you && s.you.seat === seat) li.appendChild(el("span", "badge you", "you"));
        if (p.connected === false) li.appendChild(el("span", "muted small", " reconnecting…"));
        else if (p.ready) li.appendChild(el("span", "muted small", " ready"));
        self.list.appendChild(li);
      });
    }
    if (this.count) this.count.textContent = String(seats.length);
    if (!s) return;
    var playing = s.round > 0 && !s.round_over;
    var text;
    if (playing) {
      text = "Round " + s.round + " is on" + (s.turn_seat !== null && s.turn_seat !== undefined ? (s.you && s.turn_seat === s.you.seat ? ": your turn." : ": " + this.name(s.turn_seat) + "'s turn.") : ".");
    } else if (s.round_over && s.result) {
      var w = s.result.winner_seat;
      text = (w === null || w === undefined ? "A draw." : s.you && w === s.you.seat ? "You won round " + s.round + "!" : this.name(w) + " won round " + s.round + ".") + " Ready for a rematch?";
    } else {
      var min = Number(this.root.getAttribute("data-min-players")) || 2;
      text = seats.length < min ? "Waiting for players: share the code." : "Everyone ready starts the game.";
    }
    this.say(text);
    if (this.readyButton) {
      var mine = s.you ? this.players[s.you.seat] : null;
      var waiting = mine && mine.ready;
      this.readyButton.hidden = playing;
      this.readyButton.disabled = !!waiting || !this.connected;
      this.readyButton.textContent = waiting ? "Waiting for the others…" : s.round_over ? "Rematch" : "Ready";
    }
  };

  Room.prototype.name = function (seat) {
    var p = this.players[seat];
    return p ? p.username : "Seat " + (seat + 1);
  };

  function init() {
    var root = document.querySelector("[data-room]");
    if (root && !root.gfRoom) root.gfRoom = new Room(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
