// expect: structure 3
"use strict";
for (var name = "x"; name; ) break;
const hooks = { onStart(ctx) {} };
