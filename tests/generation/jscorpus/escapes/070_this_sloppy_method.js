// expect: this 4
const hooks = {
  onStart(ctx) {
    const w = this;
  },
};
