// expect: computed_key 4
"use strict";
function pick(obj, key) {
  return obj[key];
}
const hooks = { onStart(ctx) { pick(ctx, "x"); } };
