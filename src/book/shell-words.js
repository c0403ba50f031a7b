// Written by `lab book`. The highlighter reads `log` in `--log-group-name` and `set`
// in `set-alarm-state` as shell keywords. A keyword joined to the word around it
// by `-`, `_`, `.`, `/` or a letter is part of an argument: it loses the colour.
(function () {
  var glued = /[-\w./]/;
  var spans = document.querySelectorAll(
    "code.language-bash .hljs-built_in, code.language-bash .hljs-keyword"
  );
  spans.forEach(function (span) {
    var before = span.previousSibling ? span.previousSibling.textContent : "";
    var after = span.nextSibling ? span.nextSibling.textContent : "";
    if (glued.test(before.slice(-1)) || glued.test(after.charAt(0))) {
      span.replaceWith(document.createTextNode(span.textContent));
    }
  });
})();
