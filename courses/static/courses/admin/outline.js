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

// An editor linked with data-edit-in-dialog (a question bank) opens in a dialog
// over the outline. Once saved it lands on a page that tells this one, which
// closes the dialog and reloads to show the new counts. Without script the
// link opens the editor itself, which returns to the outline.
(function () {
  const dialog = document.getElementById("outline-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const frame = dialog.querySelector("iframe");
  const title = dialog.querySelector("#outline-dialog-title");
  let opener = null;
  document.querySelectorAll("a[data-edit-in-dialog]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      opener = link;
      title.textContent = link.textContent;
      frame.title = link.textContent;
      frame.src = link.dataset.editInDialog;
      dialog.showModal();
    });
  });
  dialog.querySelector("[data-close-dialog]").addEventListener("click", () => {
    dialog.close();
  });
  dialog.addEventListener("close", () => {
    frame.src = "about:blank";
    if (opener) opener.focus();
  });
  window.addEventListener("message", (event) => {
    if (event.origin !== window.location.origin) return;
    if (!event.data || event.data.lms !== "question-bank-saved") return;
    dialog.close();
    window.location.reload();
  });
})();
