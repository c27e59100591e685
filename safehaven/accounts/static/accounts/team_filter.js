// The team list shows only the teams of the organisation chosen above it. Without this
// script the teams are grouped by organisation and the server refuses a mismatched pair.
"use strict";
(function () {
  function filterTeams(form) {
    var organisation = form.querySelector("select[name=organisation]");
    var team = form.querySelector("select[name=team]");
    if (!organisation || !team) {
      return;
    }
    var chosen = organisation.options[organisation.selectedIndex];
    var name = chosen && chosen.value ? chosen.text : null;
    Array.prototype.forEach.call(team.querySelectorAll("optgroup"), function (group) {
      var fits = name === null || group.label === name;
      group.hidden = !fits;
      group.disabled = !fits;
      if (!fits && group.contains(team.options[team.selectedIndex])) {
        team.value = "";
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      var organisation = form.querySelector("select[name=organisation]");
      if (!organisation || !form.querySelector("select[name=team]")) {
        return;
      }
      organisation.addEventListener("change", function () {
        filterTeams(form);
      });
      filterTeams(form);
    });
  });
})();
