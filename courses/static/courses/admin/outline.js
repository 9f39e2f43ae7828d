// Drag a row of the course outline to a new place: the same move the Up/Down
// buttons make, posted with the row's new position, then the outline reloads.
(function () {
  const table = document.querySelector("[data-outline]");
  if (!table) return;
  let dragged = null;
  table.querySelectorAll("tr[draggable]").forEach((row) => {
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragover", (event) => {
      if (dragged && dragged !== row) event.preventDefault();
    });
    row.addEventListener("drop", (event) => {
      event.preventDefault();
      if (!dragged || dragged === row) return;
      const body = new URLSearchParams({ position: row.dataset.position });
      fetch(dragged.dataset.moveUrl, {
        method: "POST",
        headers: {
          "X-CSRFToken": table.dataset.csrf,
          Accept: "application/json",
        },
        body,
        credentials: "same-origin",
      }).then(() => window.location.reload());
    });
  });
})();
