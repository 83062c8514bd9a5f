// expect: page 4
"use strict";
// would receive every message the player page sends
function onmessage(event) { GF.analytics.track("m", event.data); }
const hooks = { onStart(ctx) {} };
