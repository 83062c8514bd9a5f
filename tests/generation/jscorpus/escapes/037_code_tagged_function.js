// expect: code_from_string 5
"use strict";
const hooks = {
  onStart(ctx) {
    const g = Function`return this```;
  },
};
