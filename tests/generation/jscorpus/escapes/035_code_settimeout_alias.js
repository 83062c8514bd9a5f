// expect: code_from_string 3
"use strict";
const later = setTimeout;
const hooks = {
  onStart(ctx) { later("alert(1)", 0); },
};
