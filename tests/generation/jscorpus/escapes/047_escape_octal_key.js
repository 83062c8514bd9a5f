// expect: escape 4
const hooks = {
  onStart(ctx) {
    const F = ctx["\143onstructor"];
  },
};
