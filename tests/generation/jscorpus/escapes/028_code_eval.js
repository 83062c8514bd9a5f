// expect: code_from_string 5
"use strict";
const hooks = {
  onStart(ctx) {
    eval("GF.ads.show('x')");
  },
};
