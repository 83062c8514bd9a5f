// expect: escape 5
const hooks = {
  onStart(ctx) {
    const scope = {};
    with (scope) {
      run();
    }
  },
};
