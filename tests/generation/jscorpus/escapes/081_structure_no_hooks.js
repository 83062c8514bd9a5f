// expect: structure 1
"use strict";
function onStart(ctx) {}
