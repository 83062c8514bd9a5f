/* The studio: example prompts fill the prompt box; a generation's progress arrives live on
 * /ws/notifications (the page also polls with htmx, so it works without websockets too). */
(function () {
  "use strict";

  function onExample(e) {
    var button = e.target.closest("[data-prompt]");
    if (!button) return;
    var prompt = document.getElementById("id_prompt");
    var template = document.getElementById("id_template");
    if (prompt) { prompt.value = button.dataset.prompt; prompt.focus(); }
    if (template && button.dataset.template) template.value = button.dataset.template;
  }
  document.addEventListener("click", onExample);

  function block() { return document.getElementById("generation"); }

  function show(event) {
    var el = block();
    if (!el || event.request_id !== el.dataset.requestId) return;
    var bar = el.querySelector("[data-progress]");
    var stage = el.querySelector("[data-stage]");
    var percent = el.querySelector("[data-percent]");
    if (bar) bar.value = event.progress;
    if (percent) percent.textContent = String(event.progress);
    if (stage && event.stage) stage.textContent = event.stage.charAt(0).toUpperCase() + event.stage.slice(1);
    var verdict = event.playtest ? event.playtest.status : "";
    if (el.dataset.status === event.status && (el.dataset.playtest || "") === verdict) return; // shown already
    if (event.status === "completed" || event.status === "failed") {
      // Also each step of the quality gate ("checking", then the verdict) while the game is shown.
      // The finished block (the game, the actions) comes from the server.
      if (window.htmx) window.htmx.trigger(el, "gf:refresh");
    }
  }

  function connect(attempt) {
    var el = block();
    var waiting = el && (el.dataset.status !== "completed" || el.dataset.playtest === "checking") && el.dataset.status !== "failed";
    if (!el || !waiting || !window.WebSocket) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws;
    try {
      ws = new WebSocket(scheme + window.location.host + "/ws/notifications");
    } catch (e) {
      return;
    }
    ws.onmessage = function (m) {
      try { show(JSON.parse(m.data)); } catch (e) { /* not ours */ }
    };
    ws.onclose = function () {
      var current = block();
      if (current && current.hasAttribute("hx-get") && attempt < 5) {
        window.setTimeout(function () { connect(attempt + 1); }, 1000 * (attempt + 1));
      }
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { connect(0); });
  else connect(0);
})();
