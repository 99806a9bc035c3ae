// What both pages' scripts build the document with: elements by id, and new elements whose
// text is set with textContent only, so nothing read from a bundle or the API becomes markup.
"use strict";

const SawahDOM = {
  byId: (id) => document.getElementById(id),
  make(name, text = null, className = null) {
    const node = document.createElement(name);
    if (text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  },
};
