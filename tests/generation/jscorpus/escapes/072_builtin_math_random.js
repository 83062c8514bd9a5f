// expect: builtin 3
"use strict";
Math.random = () => 0.5;
const hooks = { onStart(ctx) {} };
