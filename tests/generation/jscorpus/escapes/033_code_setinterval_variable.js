// expect: code_from_string 6
"use strict";
const code = "alert(1)";
const hooks = {
  onStart(ctx) {
    setInterval(code, 1000);
  },
};
