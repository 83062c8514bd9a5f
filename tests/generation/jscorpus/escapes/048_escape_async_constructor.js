// expect: escape 5
"use strict";
const hooks = {
  async onStart(ctx) {
    const AsyncFunction = (async () => {}).constructor;
  },
};
