// expect: computed_key 7
"use strict";
const name = String.fromCharCode(99, 111, 110, 115, 116, 114, 117, 99, 116, 111, 114);
const hooks = {
  onStart(ctx) {
    const fn = () => 0;
    fn[name][name]("return this")();
  },
};
