// expect: storage 5
"use strict";
const hooks = {
  onStart(ctx) {
    const request = indexedDB.open("saves", 1);
  },
};
