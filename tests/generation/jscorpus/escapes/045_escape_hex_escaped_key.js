// expect: escape 5
"use strict";
const hooks = {
  onStart(ctx) {
    const F = ctx["\x63onstructor"]["\x63onstructor"];
  },
};
