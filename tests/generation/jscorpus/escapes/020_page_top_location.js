// expect: page 5
"use strict";
const hooks = {
  onGameOver(ctx) {
    top.location = "https://phishing.example";
  },
};
