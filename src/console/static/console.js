// Reads a chosen bundle file into the upload form's text area, so that it can be checked and fixed there.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var file = document.getElementById('bundle-file');
  var text = document.getElementById('bundle');
  if (!file || !text) return;
  file.addEventListener('change', function () {
    var f = file.files && file.files[0];
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () { text.value = String(reader.result); };
    reader.readAsText(f);
  });
});
