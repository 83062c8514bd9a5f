// expect: storage 5
"use strict";
const hooks = {
  async onStart(ctx) {
    await caches.open("v1");
  },
};
