// expect: page 4
"use strict";
const hooks = {
  onStart(ctx) { const t = window.top; },
};
