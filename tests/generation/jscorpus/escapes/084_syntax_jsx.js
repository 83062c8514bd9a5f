// expect: syntax 5
"use strict";
const hooks = {
  onStart(ctx) {
    return <div onClick={ctx}>hi</div>;
  },
};
