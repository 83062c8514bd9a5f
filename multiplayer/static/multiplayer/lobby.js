/* The "Play with friends" page's open sessions, live: /ws/lobby?game=<uuid> sends the game's open
 * public sessions, then each change ({type: "lobby_update", session_id, open, session?}). Without
 * the socket the list the server rendered stays as it is. */
(function () {
  "use strict";

  var RETRY_MS = [500, 1000, 2000, 5000, 10000];

  function Lobby(root) {
    this.root = root;
    this.list = root.querySelector("[data-sessions]");
    this.empty = root.querySelector("[data-no-sessions]");
    this.game = root.getAttribute("data-game");
    this.csrf = root.getAttribute("data-csrf");
    this.sessions = {};
    this.tries = 0;
    this.open();
  }

  Lobby.prototype.open = function () {
    var self = this;
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/lobby?game=" + encodeURIComponent(this.game);
    var ws = new WebSocket(url);
    ws.onopen = function () { self.tries = 0; };
    ws.onmessage = function (e) {
      var frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      if (!frame || typeof frame !== "object") return;
      if (frame.type === "lobby" && Array.isArray(frame.sessions)) {
        self.sessions = {};
        frame.sessions.forEach(function (s) { self.sessions[s.id] = s; });
        self.render();
      } else if (frame.type === "lobby_update" && frame.session_id) {
        if (frame.open && frame.session) self.sessions[frame.session_id] = frame.session;
        else delete self.sessions[frame.session_id];
        self.render();
      }
    };
    ws.onclose = function (e) {
      if (e.code === 4404) return;
      var wait = RETRY_MS[Math.min(self.tries, RETRY_MS.length - 1)];
      self.tries += 1;
      window.setTimeout(function () { self.open(); }, wait);
    };
  };

  Lobby.prototype.render = function () {
    var self = this;
    var ids = Object.keys(this.sessions).sort(function (a, b) {
      return String(self.sessions[a].created_at).localeCompare(String(self.sessions[b].created_at));
    });
    this.list.textContent = "";
    ids.forEach(function (id) {
      var s = self.sessions[id];
      var host = "someone";
      (s.participants || []).forEach(function (p) { if (p.user_id === s.host) host = p.username; });
      var li = document.createElement("li");
      li.setAttribute("data-session", id);
      var text = document.createElement("span");
      var strong = document.createElement("strong");
      strong.textContent = host;
      text.appendChild(strong);
      text.appendChild(document.createTextNode("'s session \u00b7 " + s.current_players + "/" + s.max_players + " players"));
      li.appendChild(text);
      var form = document.createElement("form");
      form.method = "post";
      form.className = "inline";
      [["csrfmiddlewaretoken", self.csrf], ["action", "join"], ["session", id]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        form.appendChild(input);
      });
      var button = document.createElement("button");
      button.className = "button secondary";
      button.type = "submit";
      button.textContent = "Join";
      form.appendChild(button);
      li.appendChild(form);
      self.list.appendChild(li);
    });
    if (this.empty) this.empty.hidden = ids.length > 0;
  };

  function init() {
    var root = document.querySelector("[data-lobby]");
    if (root && !root.gfLobby) root.gfLobby = new Lobby(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
