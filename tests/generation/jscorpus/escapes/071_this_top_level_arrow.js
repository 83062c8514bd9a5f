// expect: this 3
"use strict";
const getGlobal = () => this;
const hooks = { onStart(ctx) { getGlobal(); } };
