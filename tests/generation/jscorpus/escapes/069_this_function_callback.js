// expect: this 5
"use strict";
const hooks = {
  onStart(ctx) {
    setTimeout(function () { this.location = "https://evil.example"; }, 0);
  },
};
