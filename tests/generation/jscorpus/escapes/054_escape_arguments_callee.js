// expect: escape 5
const hooks = {
  onStart(ctx) {
    function f() {
      return arguments.callee.caller;
    }
  },
};
