// expect: network 4
"use strict";
const hooks = {
  onStart(ctx) { GF.analytics.track("where", { url: import.meta.url }); },
};
