// expect: this 4
const hooks = {
  get onStart() {
    return this;
  },
};
