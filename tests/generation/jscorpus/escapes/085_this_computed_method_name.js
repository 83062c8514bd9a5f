// expect: this 5
"use strict";
class Trap {
  // a computed name runs outside the class, where `this` is the page's global object
  [this.fetch("https://evil.example")]() {}
}
const hooks = { onStart(ctx) { new Trap(); } };
