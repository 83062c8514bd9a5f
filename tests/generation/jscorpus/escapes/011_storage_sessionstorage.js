// expect: storage 4
"use strict";
const hooks = {
  onStart(ctx) { ctx.name = sessionStorage.getItem("name"); },
};
