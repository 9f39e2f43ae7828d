// Rich-text editors (Draftail) render a text box with no accessible name: give
// each the name of its field's label, as a screen reader expects. Editors appear
// late and in new inline forms, so new ones are labelled as they are added.
(function () {
  function label(root) {
    root.querySelectorAll("input[data-draftail-input]").forEach((input) => {
      const wrapper = input.closest("[data-field-input]") || input.parentElement;
      const box = wrapper && wrapper.querySelector("[contenteditable=true]");
      const fieldLabel = document.getElementById(`${input.id}-label`);
      if (box && fieldLabel && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-labelledby", fieldLabel.id);
      }
    });
  }
  const observer = new MutationObserver(() => label(document));
  document.addEventListener("DOMContentLoaded", () => {
    label(document);
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
