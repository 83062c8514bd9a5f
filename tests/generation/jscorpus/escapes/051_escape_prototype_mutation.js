// expect: escape 3
"use strict";
Array.prototype.includes = () => true;
const hooks = { onStart(ctx) {} };
