// expect: page 3
"use strict";
var location = "https://evil.example/";
const hooks = { onStart(ctx) {} };
