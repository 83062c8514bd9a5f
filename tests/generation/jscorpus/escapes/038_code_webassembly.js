// expect: code_from_string 5
"use strict";
const hooks = {
  async onStart(ctx) {
    await WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109]));
  },
};
