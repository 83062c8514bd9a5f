// expect: structure 3
"use strict";
export default {
  onStart(ctx) {},
};
