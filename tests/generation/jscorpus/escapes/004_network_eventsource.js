// expect: network 6
"use strict";
const hooks = {
  onStart(ctx) {
    const stream =
      new EventSource("/events");
  },
};
