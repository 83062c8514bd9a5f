// expect: page 4
"use strict";
const hooks = {
  onStart(ctx) { if (opener) opener.focus(); },
};
