// expect: network 5
"use strict";
const hooks = {
  onStart(ctx) {
    const req = new XMLHttpRequest();
    req.open("GET", "https://evil.example");
  },
};
