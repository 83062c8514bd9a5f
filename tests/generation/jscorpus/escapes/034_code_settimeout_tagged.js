// expect: code_from_string 5
"use strict";
const hooks = {
  onStart(ctx) {
    setTimeout`alert(document.domain)`;
  },
};
