"use strict";
// Parameters and locals named like browser globals are just locals.
function describe(name, status, self) {
  return `${name}:${status}:${self.id}`;
}
const hooks = {
  onStart(ctx) {
    const name = "runner";
    const document = { id: 1 };
    ctx.label = describe(name, "ok", document);
    ctx.self = document;
  },
};
